package dev.dataenc.cli;

import dev.dataenc.console.ConsoleServer;
import dev.dataenc.console.ConsoleSettings;
import dev.dataenc.error.DataEncException;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.time.Clock;
import java.util.Collections;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.function.Function;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code dataenc serve}: the web console (the Data Encryption landing page) on the same control plane as the CLI, until
 * stopped (Ctrl-C). It binds to 127.0.0.1 unless told otherwise and refuses any other address without TLS. Who may sign
 * in is configured in the configuration file ({@code dataenc.console.*}, see docs/ADMIN.md).
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Serve the web console (Data Encryption landing page) until stopped; see docs/ADMIN.md.")
final class ServeCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private ConfigOption config;

    @Option(names = "--bind", paramLabel = "<address>", defaultValue = "127.0.0.1",
            description = "The address to listen on (default: ${DEFAULT-VALUE}); any other than loopback needs TLS.")
    private String bind;

    @Option(names = "--port", paramLabel = "<port>", defaultValue = "8080",
            description = "The port (default: ${DEFAULT-VALUE}; 0 for any free one).")
    private int port;

    @Option(names = "--tls-keystore", paramLabel = "<file.p12>",
            description = "Serve HTTPS with the key and certificate in this PKCS#12 file.")
    private Path tlsKeystore;

    @Option(names = "--tls-password-env", paramLabel = "<VAR>",
            description = "The environment variable holding the PKCS#12 file's password.")
    private String tlsPasswordEnv;

    private final Function<String, String> env;
    private final Clock clock;
    private final Consumer<ConsoleServer> started;

    ServeCommand() {
        this(System::getenv, Clock.systemUTC(), server -> {
        });
    }

    /**
     * With the environment, the clock of the sign-in throttle, and a hook told when the console is up (tests stop it
     * through the hook).
     */
    ServeCommand(Function<String, String> env, Clock clock, Consumer<ConsoleServer> started) {
        this.env = env;
        this.clock = clock;
        this.started = started;
    }

    @Override
    public Integer call() throws InterruptedException {
        if (port < 0 || port > 65_535) {
            throw new ParameterException(spec.commandLine(), "--port must be from 0 to 65535, was " + port);
        }
        InetAddress address;
        try {
            address = InetAddress.getByName(bind);
        } catch (UnknownHostException e) {
            throw new ParameterException(spec.commandLine(), "--bind '" + bind + "' is not an address of this machine");
        }
        Optional<ConsoleSettings.Tls> tls = tls();
        ConsoleServer.requireSafeBind(address, tls.isPresent());
        config.load(); // the data-encryption configuration must be valid before anything listens
        ConsoleSettings settings = ConsoleSettings.read(config.path(), address, port, tls, env);
        PrintWriter out = spec.commandLine().getOut();
        try (ConsoleServer server = ConsoleServer.start(settings, clock)) {
            Thread hook = new Thread(server::close, "dataenc-console-stop");
            Runtime.getRuntime().addShutdownHook(hook);
            out.println("dataenc console: " + server.url() + " (Ctrl-C stops it)");
            out.flush();
            started.accept(server);
            server.awaitStop();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is what stopped it
            }
        }
        return 0;
    }

    private Optional<ConsoleSettings.Tls> tls() {
        if ((tlsKeystore == null) != (tlsPasswordEnv == null)) {
            throw new ParameterException(spec.commandLine(), "--tls-keystore and --tls-password-env go together");
        }
        if (tlsKeystore == null) {
            return Optional.empty();
        }
        if (!Files.isReadable(tlsKeystore)) {
            throw new DataEncException("--tls-keystore " + tlsKeystore.toAbsolutePath() + " does not exist or cannot be"
                    + " read");
        }
        String password = env.apply(tlsPasswordEnv);
        if (password == null) {
            throw new DataEncException("--tls-password-env names $" + tlsPasswordEnv + ", which is not set");
        }
        requireServerKey(tlsKeystore.toAbsolutePath(), password);
        return Optional.of(new ConsoleSettings.Tls(tlsKeystore.toAbsolutePath(), password));
    }

    /**
     * Opens the TLS keystore as the server will, before anything listens: it must be a PKCS#12 file the password opens,
     * holding a private key with its certificate (a file of secret keys only, e.g. a {@code local} keystore, would
     * start a server no client can connect to).
     */
    private void requireServerKey(Path file, String password) {
        KeyStore ks;
        boolean serverKey = false;
        try (InputStream in = Files.newInputStream(file)) {
            ks = KeyStore.getInstance("PKCS12");
            ks.load(in, password.toCharArray());
            for (String alias : Collections.list(ks.aliases())) {
                if (ks.isKeyEntry(alias) && ks.getCertificate(alias) != null
                        && ks.getKey(alias, password.toCharArray()) instanceof PrivateKey) {
                    serverKey = true;
                }
            }
        } catch (IOException | GeneralSecurityException e) {
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            throw new DataEncException("--tls-keystore " + file + " cannot be opened with the password in $"
                    + tlsPasswordEnv + ": it is not a PKCS#12 file, or the password is wrong (" + root.getMessage() + ")",
                    e);
        }
        if (!serverKey) {
            throw new DataEncException("--tls-keystore " + file + " holds no private key with its certificate, which"
                    + " HTTPS needs; make one, e.g. keytool -genkeypair -alias console -keyalg EC -storetype PKCS12"
                    + " -keystore console.p12 -dname CN=<host name>");
        }
    }
}
