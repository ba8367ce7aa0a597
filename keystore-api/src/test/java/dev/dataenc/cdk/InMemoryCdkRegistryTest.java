package dev.dataenc.cdk;

class InMemoryCdkRegistryTest extends CdkRegistryContractTest {

    private InMemoryCdkRegistry current;

    @Override
    protected CdkRegistry newRegistry() {
        current = new InMemoryCdkRegistry();
        return current;
    }

    @Override
    protected CdkRegistry sameDataOtherInstance() {
        return current;
    }
}
