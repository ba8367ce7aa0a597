package dev.dataenc.envelope;

import dev.dataenc.cdk.Cdk;
import dev.dataenc.cdk.CdkId;
import dev.dataenc.cdk.CdkRegistry;
import dev.dataenc.cdk.InMemoryCdkRegistry;

import java.util.List;
import java.util.Optional;

/**
 * A registry whose one CDK is exactly the given value (wrapping order included), as a registry
 * writer could leave it; the other operations go to a real in-memory registry.
 */
final class FixedCdkRegistry implements CdkRegistry {

    private final Cdk cdk;
    private final InMemoryCdkRegistry rest = new InMemoryCdkRegistry();

    FixedCdkRegistry(Cdk cdk) {
        this.cdk = cdk;
    }

    @Override
    public Optional<Cdk> find(CdkId id) {
        return cdk.id().equals(id) ? Optional.of(cdk) : Optional.empty();
    }

    @Override
    public Optional<Cdk> findActive() {
        return Optional.of(cdk);
    }

    @Override
    public List<Cdk> list() {
        return List.of(cdk);
    }

    @Override
    public void activate(Cdk newCdk, CdkId expectedActive) {
        rest.activate(newCdk, expectedActive);
    }

    @Override
    public void addWrapping(CdkId id, dev.dataenc.keystore.Wrapping wrapping) {
        rest.addWrapping(id, wrapping);
    }

    @Override
    public void removeWrapping(CdkId id, dev.dataenc.keystore.Wrapping wrapping) {
        rest.removeWrapping(id, wrapping);
    }

    @Override
    public void updateStatus(CdkId id, dev.dataenc.cdk.CdkStatus expected, dev.dataenc.cdk.CdkStatus next) {
        rest.updateStatus(id, expected, next);
    }

    @Override
    public Cdk destroy(CdkId id) {
        return rest.destroy(id);
    }

    @Override
    public void recordCheckValue(CdkId id, dev.dataenc.cdk.CdkCheckValue checkValue) {
        rest.recordCheckValue(id, checkValue);
    }
}
