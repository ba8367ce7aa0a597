package dev.dataenc.docs;

import dev.dataenc.config.DataEncConfig;
import dev.dataenc.config.DataEncSettings;
import dev.dataenc.envelope.PropertyCipher;
import dev.dataenc.inject.DataEncService;
import dev.dataenc.metrics.DataEncMetrics;

import io.micrometer.core.instrument.MeterRegistry;

import java.nio.file.Path;
import java.util.Map;

public final class CodeConfiguredHost {

    public static void run(MeterRegistry meters) {
        DataEncConfig config = DataEncSettings.in(Path.of("/var/lib/myapp/dataenc"))  // relative paths, default registry
                .cipherType("platform")
                .keystore("primary", "local", Map.of(
                        "path", "primary.p12",
                        "password-env", "DATAENC_LOCAL_KEYSTORE_PASSWORD"))
                .activeKeystore("primary")
                .build();  // same validation and DataEncConfigException as the file
        try (DataEncService service = DataEncService.start(config)) {
            new DataEncMetrics(service).bindTo(meters);  // optional: needs io.micrometer:micrometer-core
            PropertyCipher cipher = service.propertyCipher();
            String stored = cipher.encryptString("ada@example.com", "Customer.email");
            System.out.println(cipher.decryptString(stored, "Customer.email"));
        }
    }
}
