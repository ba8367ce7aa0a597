package dev.dataenc.control;

import dev.dataenc.control.lifecycle.CdkReferenceEvidence;

import dev.dataenc.cdk.CdkId;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * In-test {@link CdkReferenceEvidence}: the latest completed reference scan of each record source,
 * judged by the documented rule (at least one scan; every source's latest scan started after the
 * CDK went out of use and found 0 references).
 */
final class ScanEvidence implements CdkReferenceEvidence {

    record Scan(Instant startedAt, Map<CdkId, Long> references) {
    }

    private final Map<String, Scan> latestBySource = new LinkedHashMap<>();

    ScanEvidence scan(String source, Instant startedAt, Map<CdkId, Long> references) {
        latestBySource.put(source, new Scan(startedAt, references));
        return this;
    }

    @Override
    public Optional<String> whyStillReferenced(CdkId id, Instant decryptOnlySince) {
        if (latestBySource.isEmpty()) {
            return Optional.of("no reference scan has run yet");
        }
        for (Map.Entry<String, Scan> e : latestBySource.entrySet()) {
            Scan s = e.getValue();
            if (!s.startedAt().isAfter(decryptOnlySince)) {
                return Optional.of("the latest scan of " + e.getKey() + " started at " + s.startedAt()
                        + ", before the CDK went out of use at " + decryptOnlySince);
            }
            long n = s.references().getOrDefault(id, 0L);
            if (n > 0) {
                return Optional.of(n + " records in " + e.getKey() + " still reference it");
            }
        }
        return Optional.empty();
    }
}
