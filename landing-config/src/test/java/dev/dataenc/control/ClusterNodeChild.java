package dev.dataenc.control;

import dev.dataenc.cdk.Cdk;
import dev.dataenc.config.ConfigLoader;
import dev.dataenc.envelope.PropertyCipher;
import dev.dataenc.keystore.Wrapping;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.stream.Collectors;

/**
 * One application node for {@link ThreeProcessClusterTest}: opens the control plane of its configuration file as
 * an application does (reconciling, heartbeating every 200 ms), prints {@code READY <node id>}, then answers
 * commands on standard input, one per line:
 * <ul>
 *   <li>{@code WRITE <id>}: encrypts {@code name <id>} and inserts it into the host table {@code person};</li>
 *   <li>{@code PROBE}: prints {@code PROBE <active keystore in force> <keystores wrapping a fresh ciphertext's CDK>
 *       <rows of person that decrypt>/<rows>};</li>
 *   <li>{@code QUIT}: closes cleanly and exits.</li>
 * </ul>
 * Arguments: configuration file, host database URL, host user.
 */
public final class ClusterNodeChild {

    public static void main(String[] args) throws Exception {
        Path config = Path.of(args[0]);
        try (ControlPlane plane = ControlPlane.open(ConfigLoader.load(config), ControlPlane.Options.app()
                .withTool("node").withUsageFlush(Duration.ofMillis(200)));
             Connection host = DriverManager.getConnection(args[1], args[2], "");
             BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            System.out.println("READY " + plane.nodeId().orElseThrow());
            System.out.flush();
            String line;
            while ((line = in.readLine()) != null && !line.equals("QUIT")) {
                try {
                    System.out.println(answer(plane, host, line));
                } catch (RuntimeException | java.sql.SQLException e) {
                    System.out.println("FAIL " + e);
                }
                System.out.flush();
            }
        }
    }

    private static String answer(ControlPlane plane, Connection host, String line) throws java.sql.SQLException {
        if (line.startsWith("WRITE ")) {
            int id = Integer.parseInt(line.substring(6).trim());
            try (PreparedStatement s = host.prepareStatement("INSERT INTO person (id, name) VALUES (?, ?)")) {
                s.setInt(1, id);
                s.setString(2, plane.propertyCipher().encryptString("name " + id, "Person.name"));
                s.executeUpdate();
            }
            return "WROTE " + id;
        }
        String fresh = plane.propertyCipher().encryptString("probe", "ctx");
        Cdk cdk = plane.registry().find(PropertyCipher.cdkIdOf(fresh)).orElseThrow();
        String by = cdk.wrappings().stream().map(Wrapping::keystoreName).distinct().sorted().collect(Collectors.joining(","));
        int rows = 0;
        int readable = 0;
        try (Statement s = host.createStatement(); ResultSet rs = s.executeQuery("SELECT id, name FROM person")) {
            while (rs.next()) {
                rows++;
                if (("name " + rs.getInt(1)).equals(plane.propertyCipher().decryptString(rs.getString(2), "Person.name"))) {
                    readable++;
                }
            }
        }
        return "PROBE " + plane.config().activeKeystore() + " " + by + " " + readable + "/" + rows;
    }

    private ClusterNodeChild() {
    }
}
