package dev.dataenc.migrate;

import dev.dataenc.cdk.CdkId;
import dev.dataenc.envelope.BlobCipher;
import dev.dataenc.envelope.CiphertextInfo;
import dev.dataenc.envelope.PropertyCipher;
import dev.dataenc.error.CdkDestroyedException;
import dev.dataenc.error.DecryptionFailedException;
import dev.dataenc.error.MalformedCiphertextException;
import dev.dataenc.error.UnknownCdkException;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Re-encrypts one binary value of a {@link RecordSource} as a stream: the current value is read through a
 * SHA-256 digest, decrypted (a property ciphertext with {@link PropertyCipher}, a BLOB through
 * {@link BlobCipher#decryptingStream}) and encrypted under the ACTIVE CDK into a temporary file (0600); the new
 * ciphertext is verified by decrypting it again (a property value's plaintexts compared in constant time, a BLOB's
 * streamed through a {@link PlaintextComparison}), and the result is a
 * {@link BinaryWrite} for a compare-and-set against the digest of what was decrypted. A BLOB is never whole in
 * memory; a property value is (it is small). Plaintext is never logged nor put in a message.
 */
final class BinaryReencryption {

    /** What became of one value. */
    enum Skip { GONE, PLAINTEXT, ALREADY_TARGET, UNREADABLE }

    /** A prepared write, or why there is none. */
    record Outcome(BinaryWrite write, Skip skip) {
    }

    private static final int COPY = 64 * 1024;

    private final PropertyCipher properties;
    private final BlobCipher blobs;
    private final RecordSource source;
    private final boolean identity;
    private final Consumer<Path> beforeVerify;

    BinaryReencryption(PropertyCipher properties, BlobCipher blobs, RecordSource source) {
        this(properties, blobs, source, false);
    }

    /** @param identity benchmarks only ({@link Migration#identityRewrite()}): the value is copied, not re-encrypted */
    BinaryReencryption(PropertyCipher properties, BlobCipher blobs, RecordSource source, boolean identity) {
        this(properties, blobs, source, identity, file -> { });
    }

    /** @param beforeVerify tests only: runs on a BLOB's new ciphertext file after it is written, before it is verified */
    BinaryReencryption(PropertyCipher properties, BlobCipher blobs, RecordSource source, boolean identity,
                       Consumer<Path> beforeVerify) {
        this.properties = properties;
        this.blobs = blobs;
        this.source = source;
        this.identity = identity;
        this.beforeVerify = beforeVerify;
    }

    /**
     * Whether the value decrypts with {@code context}, or with {@code fromContext}: true, false, or null when it
     * says nothing about the context (gone, not a ciphertext, malformed, unknown or destroyed CDK). Only a BLOB's
     * first segment is decrypted.
     */
    Boolean decrypts(String key, int col, String context, String fromContext) {
        Boolean first = tryContext(key, col, context);
        if (first == null || first || fromContext == null) {
            return first;
        }
        return tryContext(key, col, fromContext);
    }

    private Boolean tryContext(String key, int col, String context) {
        Boolean[] result = {null};
        read(key, col, (in, length) -> {
            BufferedInputStream bin = new BufferedInputStream(in, COPY);
            BinaryCell cell = peek(bin, length);
            try {
                if (cell.kind() == BinaryCell.Kind.PROPERTY) {
                    Arrays.fill(properties.decrypt(bin.readAllBytes(), context), (byte) 0);
                    result[0] = true;
                } else if (cell.kind() == BinaryCell.Kind.BLOB) {
                    try (InputStream plain = blobs.decryptingStream(bin, context)) {
                        plain.read(); // authenticates the first segment, whose key depends on the context
                    }
                    result[0] = true;
                }
            } catch (DecryptionFailedException e) {
                result[0] = false;
            } catch (MalformedCiphertextException | UnknownCdkException | CdkDestroyedException e) {
                result[0] = null;
            }
        });
        return result[0];
    }

    /**
     * Prepares the re-encryption of the current value of {@code key}'s column {@code col}.
     *
     * @param current     CDKs whose ciphertexts count as migrated
     * @param fromContext re-binding: the context to decrypt with when the column's fails; null for none
     */
    Outcome prepare(String key, int col, String context, String fromContext, Set<CdkId> current) {
        Outcome[] out = {new Outcome(null, Skip.GONE)};
        read(key, col, (in, length) -> out[0] = reencrypt(in, length, context, fromContext, current));
        BinaryWrite w = out[0].write();
        return w == null ? out[0] : new Outcome(new BinaryWrite(key, col, w.expected(), w.file()), null);
    }

    private Outcome reencrypt(InputStream in, long length, String context, String fromContext, Set<CdkId> current)
            throws IOException {
        MessageDigest digest = sha256();
        BufferedInputStream bin = new BufferedInputStream(new DigestInputStream(in, digest), COPY);
        BinaryCell cell = peek(bin, length);
        switch (cell.kind()) {
            case FOREIGN:
                return new Outcome(null, Skip.PLAINTEXT);
            case MALFORMED:
                return new Outcome(null, Skip.UNREADABLE);
            default:
                break;
        }
        if (fromContext == null && current.contains(cell.cdk())) {
            return new Outcome(null, Skip.ALREADY_TARGET);
        }
        Path file = tempFile();
        try {
            if (identity) {
                try (OutputStream out = Files.newOutputStream(file)) {
                    bin.transferTo(out);
                }
                return new Outcome(new BinaryWrite("-", 0, digest.digest(), file), null);
            }
            Outcome o = cell.kind() == BinaryCell.Kind.PROPERTY
                    ? property(bin, context, fromContext, current, cell, file)
                    : blob(bin, context, fromContext, current, cell, file);
            if (o.skip() != null) {
                OwnedTempFiles.migration().delete(file);
                return o;
            }
            bin.transferTo(OutputStream.nullOutputStream()); // the digest covers every byte of the old value
            return new Outcome(new BinaryWrite(o.write().key(), o.write().column(), digest.digest(), file), null);
        } catch (IOException | RuntimeException e) {
            OwnedTempFiles.migration().delete(file);
            throw e;
        }
    }

    private Outcome property(InputStream bin, String context, String fromContext, Set<CdkId> current, BinaryCell cell,
                             Path file) throws IOException {
        byte[] old = bin.readAllBytes();
        byte[] plain = null;
        try {
            try {
                plain = properties.decrypt(old, context);
                if (current.contains(cell.cdk())) {
                    return new Outcome(null, Skip.ALREADY_TARGET);
                }
            } catch (DecryptionFailedException wrongContext) {
                if (fromContext == null) {
                    return new Outcome(null, Skip.UNREADABLE);
                }
                plain = properties.decrypt(old, fromContext);
            }
            byte[] fresh = properties.encrypt(plain, context);
            byte[] check = properties.decrypt(fresh, context);
            boolean same = MessageDigest.isEqual(plain, check);
            Arrays.fill(check, (byte) 0);
            if (!same) {
                throw unverified();
            }
            Files.write(file, fresh);
            return new Outcome(new BinaryWrite("-", 0, new byte[0], file), null);
        } catch (DecryptionFailedException | MalformedCiphertextException | UnknownCdkException | CdkDestroyedException e) {
            return new Outcome(null, Skip.UNREADABLE);
        } finally {
            if (plain != null) {
                Arrays.fill(plain, (byte) 0);
            }
        }
    }

    private Outcome blob(BufferedInputStream bin, String context, String fromContext, Set<CdkId> current,
                         BinaryCell cell, Path file) throws IOException {
        String use = context;
        bin.mark(CiphertextInfo.PROBE_LENGTH + 2 * BlobCipher.DEFAULT_MAX_READ_SEGMENT_SIZE);
        try {
            InputStream probe = blobs.decryptingStream(new NonClosing(bin), context);
            probe.read(); // the first segment authenticates with the column's context, or not
            if (current.contains(cell.cdk())) {
                return new Outcome(null, Skip.ALREADY_TARGET);
            }
        } catch (DecryptionFailedException wrongContext) {
            if (fromContext == null) {
                return new Outcome(null, Skip.UNREADABLE);
            }
            use = fromContext;
        } catch (MalformedCiphertextException | UnknownCdkException | CdkDestroyedException e) {
            return new Outcome(null, Skip.UNREADABLE);
        }
        try {
            bin.reset();
        } catch (IOException e) {
            throw new MigrationException("a BLOB's first segment is larger than the " + (2
                    * BlobCipher.DEFAULT_MAX_READ_SEGMENT_SIZE) + " bytes the migration buffers; it cannot be migrated", e);
        }
        try (PlaintextComparison compare = PlaintextComparison.open()) {
            try (OutputStream out = Files.newOutputStream(file)) {
                blobs.encrypt(compare.first(blobs.decryptingStream(new NonClosing(bin), use)), out, context);
            } catch (DecryptionFailedException | MalformedCiphertextException | UnknownCdkException
                     | CdkDestroyedException e) {
                return new Outcome(null, Skip.UNREADABLE); // altered or truncated after its first segment
            }
            beforeVerify.accept(file);
            try (InputStream again = Files.newInputStream(file)) {
                blobs.decrypt(again, compare.second(), context);
            } catch (DecryptionFailedException | MalformedCiphertextException | UnknownCdkException
                     | CdkDestroyedException e) {
                throw unverified();
            }
            if (!compare.same()) {
                throw unverified();
            }
        }
        return new Outcome(new BinaryWrite("-", 0, new byte[0], file), null);
    }

    private void read(String key, int col, RecordSource.BinaryReader reader) {
        source.readBinary(key, col, reader);
    }

    private static BinaryCell peek(BufferedInputStream bin, long length) throws IOException {
        bin.mark(CiphertextInfo.PROBE_LENGTH);
        byte[] head = bin.readNBytes((int) Math.min(length, CiphertextInfo.PROBE_LENGTH));
        bin.reset();
        return BinaryCell.of(head, length);
    }

    private static MigrationException unverified() {
        return new MigrationException("verification failed for a binary value: the new ciphertext does not decrypt to"
                + " the value it was made from. Nothing was written for it; check the keystore and the key cache, then"
                + " run the migration again.");
    }

    /**
     * A 0600 temporary file for one new ciphertext, in {@code java.io.tmpdir}, owned by this process: a later
     * migration removes it if this process dies before it does ({@link OwnedTempFiles}).
     */
    static Path tempFile() {
        OwnedTempFiles files = OwnedTempFiles.migration();
        try {
            return files.create(files.lockDir());
        } catch (UncheckedIOException e) {
            throw new UncheckedIOException("cannot create a temporary file for a re-encrypted BLOB in "
                    + files.lockDir() + " (java.io.tmpdir): " + e.getCause().getMessage(), e.getCause());
        }
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Keeps a decrypting stream from closing the value's stream under it. */
    private static final class NonClosing extends java.io.FilterInputStream {
        NonClosing(InputStream in) {
            super(in);
        }

        @Override
        public void close() {
        }
    }
}
