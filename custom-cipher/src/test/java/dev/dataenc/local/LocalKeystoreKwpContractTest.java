package dev.dataenc.local;

/** The keystore contract for the {@code local} keystore with wrap algorithm aes-kwp. */
class LocalKeystoreKwpContractTest extends LocalKeystoreContractTest {

    @Override
    protected String wrapAlgorithm() {
        return "aes-kwp";
    }
}
