package dev.dataenc.cli;

import dev.dataenc.custom.ExampleAesGcmCipher;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** A site cipher (keystore type {@code custom}) that counts how often a keystore of it was opened. */
public class CountingCipher extends ExampleAesGcmCipher {

    static final AtomicInteger OPENED = new AtomicInteger();

    @Override
    public void init(Map<String, String> settings) {
        OPENED.incrementAndGet();
        super.init(settings);
    }
}
