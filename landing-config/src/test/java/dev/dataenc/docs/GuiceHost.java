package dev.dataenc.docs;

import com.google.inject.Guice;
import com.google.inject.Injector;

import dev.dataenc.envelope.BlobCipher;
import dev.dataenc.envelope.PropertyCipher;
import dev.dataenc.inject.DataEncModule;
import dev.dataenc.inject.DataEncService;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

public final class GuiceHost {

    public static void main(String[] args) throws IOException {
        Injector injector = Guice.createInjector(new DataEncModule(Path.of("/etc/myapp/dataenc.properties")));
        PropertyCipher properties = injector.getInstance(PropertyCipher.class);
        BlobCipher blobs = injector.getInstance(BlobCipher.class);

        String stored = properties.encryptString("ada@example.com", "Customer.email");  // "dataenc:v1:..."
        String email = properties.decryptString(stored, "Customer.email");

        Path pdf = Path.of("invoice.pdf");
        Path encrypted = Path.of("invoice.pdf.enc");
        try (InputStream in = Files.newInputStream(pdf); OutputStream out = Files.newOutputStream(encrypted)) {
            blobs.encrypt(in, out, "Invoice.pdf");
        }
        try (InputStream in = blobs.decryptingStream(Files.newInputStream(encrypted), "Invoice.pdf")) {
            in.transferTo(System.out);  // plaintext released segment by segment, each verified
        }

        injector.getInstance(DataEncService.class).close();  // on shutdown
    }
}
