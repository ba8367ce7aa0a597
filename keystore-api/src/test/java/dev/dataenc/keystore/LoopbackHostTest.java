package dev.dataenc.keystore;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LoopbackHostTest {

    @Test
    void loopbackNamesAndLiterals_areLoopback() {
        for (String host : new String[] {"localhost", "LOCALHOST", "127.0.0.1", "127.1.2.3", "127.255.255.255", "[::1]",
                "[0:0:0:0:0:0:0:1]"}) {
            assertTrue(LoopbackHost.is(host), host);
        }
    }

    @Test
    void otherHosts_areNot_andNoNameIsResolved() {
        for (String host : new String[] {"kms.us-east-1.amazonaws.com", "10.0.0.1", "128.0.0.1", "127.0.0.256",
                "1270.0.0.1", "localhost.example.com", "127.0.0.1.nip.io", "[::2]", "[fe80::1]", "[::1", "", null}) {
            assertFalse(LoopbackHost.is(host), String.valueOf(host));
        }
    }
}
