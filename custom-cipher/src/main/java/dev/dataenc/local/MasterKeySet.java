package dev.dataenc.local;

import java.util.Collections;
import java.util.NavigableMap;
import java.util.TreeMap;
import javax.crypto.SecretKey;

/**
 * One master key's entries as read from the PKCS#12 file at one moment: its versions, whether it is
 * disabled, and the stamp of the file they were read from. Immutable; replaced on every re-read.
 *
 * @param masterKeyId the master key id ({@code <name>/<fingerprint>}), or empty when there are no versions
 * @param versions    AES-256 master keys by version number (1, 2, ...)
 * @param disabled    true when the disabled marker entry is present
 * @param stamp       the file stamp read before the file's content
 * @param macIterations the iteration count of the file's MAC (fewer than {@link Pkcs12Protection#ITERATIONS}:
 *                    a file written before dataenc hardened it, upgraded at its next change)
 */
record MasterKeySet(String masterKeyId, NavigableMap<Integer, SecretKey> versions, boolean disabled, FileStamp stamp,
                    int macIterations) {

    MasterKeySet {
        versions = Collections.unmodifiableNavigableMap(new TreeMap<>(versions));
    }

    /** True when the file holds at least one version of the master key. */
    boolean exists() {
        return !versions.isEmpty();
    }

    /** The same keys, read from a file with the given stamp. */
    MasterKeySet withStamp(FileStamp newStamp) {
        return new MasterKeySet(masterKeyId, versions, disabled, newStamp, macIterations);
    }

    /** True when the file was written with fewer iterations than dataenc writes now. */
    boolean weakProtection() {
        return macIterations < Pkcs12Protection.ITERATIONS;
    }

    /** The newest version, which new wrappings use. */
    int currentVersion() {
        return versions.lastKey();
    }

    @Override
    public String toString() {
        return "MasterKeySet[" + masterKeyId + ", versions=" + versions.keySet() + ", disabled=" + disabled + ", mac iterations=" + macIterations + "]";
    }
}
