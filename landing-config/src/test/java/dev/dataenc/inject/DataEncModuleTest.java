package dev.dataenc.inject;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.inject.Guice;
import com.google.inject.Injector;

import dev.dataenc.audit.AuditAction;
import dev.dataenc.cdk.CdkId;
import dev.dataenc.config.CipherType;
import dev.dataenc.config.ConfigFile;
import dev.dataenc.control.ControlPlane;
import dev.dataenc.envelope.BlobCipher;
import dev.dataenc.envelope.PropertyCipher;

import dev.dataenc.testing.KeystoreFiles;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A host application wired by Guice from a real configuration file, which an admin then edits. */
class DataEncModuleTest {

    @TempDir
    Path dir;

    private static String config(String active, String... keystores) {
        StringBuilder sb = new StringBuilder("# test configuration\n")
                .append("dataenc.cipher-type = platform\n")
                .append("dataenc.keystore.active = ").append(active).append('\n')
                .append("dataenc.reload.interval = 1s\n")
                // this node manages keys by editing its file: the opt-in that lets an edit switch (guarded)
                .append("dataenc.keystore.switch-on-file-change = true\n");
        for (String k : keystores) {
            sb.append("dataenc.keystores.").append(k).append(".type = local\n")
                    .append("dataenc.keystores.").append(k).append(".path = ").append(k).append(".p12\n")
                    .append("dataenc.keystores.").append(k).append(".password = test-password-").append(k).append('\n')
                    .append("dataenc.keystores.").append(k).append(".master-key = mk-").append(k).append('\n');
        }
        return sb.toString();
    }

    @Test
    void injectedCiphers_encryptPropertiesAndBlobs_andFollowTheConfigFile() throws Exception {
        Path file = dir.resolve("dataenc.properties");
        Files.writeString(file, config("a", "a", "b"));
        KeystoreFiles.provideAll(file);
        Injector injector = Guice.createInjector(new DataEncModule(file));
        DataEncService service = injector.getInstance(DataEncService.class);
        try {
            PropertyCipher cipher = injector.getInstance(PropertyCipher.class);
            BlobCipher blobs = injector.getInstance(BlobCipher.class);
            assertSame(cipher, injector.getInstance(PropertyCipher.class));
            String email = cipher.encryptString("ada@example.com", "Customer.email");
            byte[] doc = "a document".repeat(10_000).getBytes(StandardCharsets.UTF_8);
            ByteArrayOutputStream enc = new ByteArrayOutputStream();
            blobs.encrypt(new ByteArrayInputStream(doc), enc, "Doc.body");
            ControlPlane plane = service.controlPlane();
            CdkId first = PropertyCipher.cdkIdOf(email);

            // the admin edits the file: a keystore switch
            ConfigFile.writeActiveKeystore(file, "b", CipherType.PLATFORM);
            await(() -> plane.jobs().state().orElseThrow().activeKeystore().equals("b"), "switch to b after the edit");
            await(() -> plane.audit().byAction(AuditAction.CONFIG_APPLIED).size() == 1, "config applied");
            String after = cipher.encryptString("bob@example.com", "Customer.email");
            assertNotEquals(first, PropertyCipher.cdkIdOf(after));
            assertTrue(plane.registry().find(PropertyCipher.cdkIdOf(after)).orElseThrow().wrappingBy("b").isPresent());
            assertEquals("ada@example.com", cipher.decryptString(email, "Customer.email"));

            // an unsafe edit: removing b, which holds the only wrapping of the ACTIVE CDK
            Files.writeString(file, config("a", "a"));
            await(() -> plane.status().lastRefusal().isPresent(), "the unsafe change is refused");
            assertTrue(plane.status().lastRefusal().get().contains("'b' removed"), plane.status().lastRefusal().get());
            assertEquals("b", plane.jobs().state().orElseThrow().activeKeystore(), "the previous configuration stays");
            assertEquals("bob@example.com", cipher.decryptString(after, "Customer.email"));

            // an invalid edit: reported, nothing changes
            Files.writeString(file, config("b", "a", "b") + "dataenc.cache.max-agee = 5m\n");
            await(() -> plane.status().lastRefusal().orElse("").contains("dataenc.cache.max-agee"), "invalid file reported");
            ByteArrayOutputStream plain = new ByteArrayOutputStream();
            blobs.decrypt(new ByteArrayInputStream(enc.toByteArray()), plain, "Doc.body");
            assertArrayEquals(doc, plain.toByteArray());
        } finally {
            service.close();
        }
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return;
            }
            Thread.sleep(100);
        }
        fail("timed out waiting for: " + what);
    }
}
