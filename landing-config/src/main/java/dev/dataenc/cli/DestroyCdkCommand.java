package dev.dataenc.cli;

import dev.dataenc.cdk.Cdk;
import dev.dataenc.cdk.CdkId;
import dev.dataenc.control.ControlPlane;
import dev.dataenc.error.DataEncException;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code dataenc destroy-cdk <id> --yes-destroy-data-encrypted-under-it}: deletes every wrapping of
 * a RETIRED CDK, so it can never be unwrapped again. Irreversible, so it refuses without the flag
 * and refuses any CDK that is not RETIRED.
 */
@Command(name = "destroy-cdk", mixinStandardHelpOptions = true,
        description = "Delete every wrapping of a RETIRED CDK (irreversible): data still under it can never be decrypted.")
final class DestroyCdkCommand implements Callable<Integer> {

    static final String CONFIRM = "--yes-destroy-data-encrypted-under-it";

    @Spec
    private CommandSpec spec;

    @Mixin
    private ConfigOption config;

    @Parameters(index = "0", paramLabel = "<cdk-id>", description = "The RETIRED CDK to destroy.")
    private String id;

    @Option(names = CONFIRM, description = "Confirm that data still encrypted under it may be lost for good.")
    private boolean confirmed;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        CdkId cdkId;
        try {
            cdkId = CdkId.parse(id);
        } catch (IllegalArgumentException e) {
            throw new DataEncException(e.getMessage() + "; 'dataenc status' and 'dataenc audit' show CDK ids");
        }
        if (!confirmed) {
            throw new DataEncException("destroying CDK " + cdkId + " deletes all its wrappings: anything still encrypted"
                    + " under it can never be decrypted again. If that is what you want, run again with " + CONFIRM);
        }
        try (ControlPlane plane = AdminPlane.open(config.load())) {
            Cdk destroyed = plane.destroyCdk(cdkId);
            out.println("destroyed CDK " + cdkId + " at " + destroyed.destroyedAt()
                    + ": its wrappings are deleted and it can never be unwrapped again");
        }
        return 0;
    }
}
