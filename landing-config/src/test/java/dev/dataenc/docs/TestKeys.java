package dev.dataenc.docs;

import dev.dataenc.cdk.CdkId;
import dev.dataenc.envelope.DataKeySource;
import dev.dataenc.keystore.DataKey;

/** One random CDK key, for tests that only need ciphertext shapes. */
final class TestKeys {

    private TestKeys() {
    }

    static DataKeySource source() {
        DataKey key = DataKey.generate(CdkId.random());
        return new DataKeySource() {
            @Override
            public DataKey activeKey() {
                return key;
            }

            @Override
            public DataKey key(CdkId id) {
                return key;
            }
        };
    }
}
