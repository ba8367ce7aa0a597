package dev.dataenc.migrate;

import dev.dataenc.cdk.CdkId;
import dev.dataenc.control.keyswitch.CrashPoint;
import dev.dataenc.envelope.BlobCipher;
import dev.dataenc.error.DecryptionFailedException;
import dev.dataenc.error.MalformedCiphertextException;
import dev.dataenc.error.UnknownCdkException;
import dev.dataenc.keystore.DataKey;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Migrates the records of one key range: for each value, decides (null, plaintext, already under the
 * target, or under an older CDK), re-encrypts under the ACTIVE CDK (a deterministic value deterministically,
 * see {@link TextCiphers}), verifies the new ciphertext
 * decrypts to the same plaintext, and writes it by compare-and-set. A text ciphertext is re-encrypted as bytes: decoded
 * once ({@link TextCiphertext}), decrypted to plaintext bytes (which must be UTF-8, as ever: {@link Utf8Text}),
 * encrypted, its binary form decrypted again and compared byte for byte, then encoded once; the plaintext bytes are
 * zeroed when done. A lost compare-and-set (the
 * application wrote the value meanwhile) is re-read: nothing more is done if the value is now under
 * the ACTIVE CDK, NULL or gone; otherwise it is migrated again (a few times at most). Plaintext is
 * never logged nor put in a message.
 */
final class RecordProcessor {

    /** Attempts per value when the application keeps writing old-CDK values to it. */
    static final int MAX_ATTEMPTS = 5;

    /** Told after each write chunk is committed. */
    @FunctionalInterface
    interface ChunkListener {
        /** @param records records in the chunk */
        void written(int records);
    }

    private final TextCiphers text;
    private final BinaryReencryption binary;
    private final RecordSource source;
    private final MigrationMode mode;
    private final int writeChunk;
    private final CrashPoint crash;
    private final String fromContext;
    private final Set<CdkId> current = ConcurrentHashMap.newKeySet();
    private final boolean identity;

    /**
     * @param current     CDKs whose ciphertexts count as migrated (the target and the ACTIVE CDK)
     * @param fromContext re-binding: the context values that fail with their column's context are decrypted with
     *                    (then re-encrypted with the column's); null for none. When set, values under the current
     *                    CDKs are decrypted too, since their CDK alone does not say which context they are bound to.
     * @param identity    benchmarks only ({@link Migration#identityRewrite()}): values are written back unchanged
     */
    RecordProcessor(TextCiphers text, BlobCipher blobs, RecordSource source, MigrationMode mode, int writeChunk,
                    Set<CdkId> current, CrashPoint crash, String fromContext, boolean identity) {
        this.text = text;
        this.identity = identity;
        this.binary = new BinaryReencryption(text.random(), blobs, source, identity);
        this.source = source;
        this.mode = mode;
        this.writeChunk = writeChunk;
        this.crash = crash;
        this.fromContext = fromContext;
        this.current.addAll(current);
    }

    private static final class Tally {
        long records;
        long migrated;
        long alreadyTarget;
        long nulls;
        long plaintext;
        long encryptedPlaintext;
        long changedByApp;
        long unreadable;

        ValueCounts counts() {
            return new ValueCounts(records, migrated, alreadyTarget, nulls, plaintext, encryptedPlaintext, changedByApp,
                    unreadable);
        }

        void written(boolean wasPlaintext) {
            if (wasPlaintext) {
                encryptedPlaintext++;
            } else {
                migrated++;
            }
        }
    }

    /** A verified new ciphertext waiting to be written: a text value, or a binary one in a temporary file. */
    private record Pending(ValueWrite write, BinaryWrite binaryWrite, boolean wasPlaintext) {
        Pending(ValueWrite write, boolean wasPlaintext) {
            this(write, null, wasPlaintext);
        }
    }

    /** A chunk whose text writes are in flight: what it will write, and how many records it held. */
    private record Written(List<Pending> text, int records) {
    }

    /**
     * Migrates the records in {@code range}. A chunk of text values is written on a {@link ChunkWriter} while the next
     * one is prepared; its outcome is settled (crash point {@code chunk-written}, counters, lost compare-and-sets
     * retried, {@code listener}) before the next chunk is written, so that at most one chunk is in flight.
     */
    ValueCounts process(KeyRange range, ChunkListener listener) {
        Tally tally = new Tally();
        List<Pending> pending = new ArrayList<>();
        List<Plain> plains = new ArrayList<>();
        try (ChunkWriter writer = new ChunkWriter(source)) {
            return process(range, listener, tally, pending, writer, plains);
        } finally {
            wipe(plains); // decrypted values not yet encrypted when the run failed
            pending.forEach(p -> {
                if (p.binaryWrite() != null) {
                    p.binaryWrite().close();
                }
            });
        }
    }

    private ValueCounts process(KeyRange range, ChunkListener listener, Tally tally, List<Pending> pending,
                                ChunkWriter writer, List<Plain> plains) {
        int inChunk = 0;
        Written inFlight = null;
        for (SourceRecord r : source.read(range)) {
            tally.records++;
            for (int col = 0; col < r.values().size(); col++) {
                decide(r.key(), col, r.values().get(col), tally, pending, plains);
            }
            crash.reached("record");
            if (++inChunk >= writeChunk) {
                encryptAll(plains, pending, tally);
                inFlight = flush(pending, inChunk, tally, listener, writer, inFlight);
                inChunk = 0;
            }
        }
        encryptAll(plains, pending, tally);
        Written last = flush(pending, inChunk, tally, listener, writer, inFlight);
        if (last != null) {
            settle(last, writer.await(), tally);
            listener.written(last.records());
        }
        return tally.counts();
    }

    /**
     * A text value decrypted (or plaintext to encrypt), waiting to be encrypted under the ACTIVE CDK.
     *
     * @param expected      the value as read (the compare-and-set's expected value)
     * @param from          the CDK it was under; null for plaintext
     * @param plain         its decrypted bytes, owned here and zeroed once encrypted; null for plaintext
     * @param plaintext     the plaintext value to encrypt (randomised); null for a decrypted value
     * @param deterministic whether the new ciphertext is deterministic (as the old one was)
     */
    private record Plain(String key, int col, String expected, CdkId from, byte[] plain, String plaintext,
                         String context, boolean deterministic) {

        static Plain decrypted(String key, int col, String expected, TextCiphertext from, byte[] plain, String context) {
            return new Plain(key, col, expected, from.cdk(), plain, null, context, from.deterministic());
        }

        static Plain plaintext(String key, int col, String value, String context) {
            return new Plain(key, col, value, null, null, value, context, false);
        }

        boolean wasPlaintext() {
            return plaintext != null;
        }

        @Override
        public String toString() {
            return "Plain[key=" + key + ", column=" + col + "]";
        }
    }

    private static void wipe(List<Plain> plains) {
        for (Plain p : plains) {
            DataKey.zeroize(p.plain());
        }
        plains.clear();
    }

    /** Counts a value that needs nothing, or returns its verified replacement (one value: a lost write's retry). */
    private Optional<Pending> prepare(String key, int col, String value, Tally tally) {
        List<Pending> ready = new ArrayList<>(1);
        List<Plain> plains = new ArrayList<>(1);
        try {
            decide(key, col, value, tally, ready, plains);
            encryptAll(plains, ready, tally);
        } finally {
            wipe(plains);
        }
        return ready.stream().findFirst();
    }

    /**
     * Counts a value that needs nothing, or queues its replacement: in {@code ready} when it needs no text encryption
     * (a binary value, re-encrypted here as a stream; the identity baseline), else decrypted in {@code plains}.
     */
    private void decide(String key, int col, String value, Tally tally, List<Pending> ready, List<Plain> plains) {
        if (value == null) {
            tally.nulls++;
            return;
        }
        String context = source.columns().get(col).context();
        if (source.columns().get(col).binary()) {
            prepareBinary(key, col, value, context, tally).ifPresent(ready::add);
            return;
        }
        if (!TextCiphers.isEncrypted(value)) {
            if (mode != MigrationMode.ENCRYPT_PLAINTEXT) {
                tally.plaintext++;
                return;
            }
            plains.add(Plain.plaintext(key, col, value, context));
            return;
        }
        if (fromContext != null) {
            rebind(key, col, value, context, tally).ifPresent(p -> add(plains, p));
            return;
        }
        TextCiphertext old;
        byte[] plain;
        try {
            old = TextCiphertext.decode(value);
            if (current.contains(old.cdk())) {
                tally.alreadyTarget++;
                return;
            }
            if (identity) {
                ready.add(new Pending(new ValueWrite(key, col, value, value), false));
                return;
            }
            plain = text.decrypt(old, context);
        } catch (MalformedCiphertextException | DecryptionFailedException | UnknownCdkException e) {
            tally.unreadable++;
            return;
        }
        add(plains, Plain.decrypted(key, col, value, old, plain, context));
    }

    /** Queues a decrypted value; one that is not UTF-8 text stops the run, as it did when decrypted to a string. */
    private void add(List<Plain> plains, Plain p) {
        if (!Utf8Text.isValid(p.plain())) {
            DataKey.zeroize(p.plain());
            throw Utf8Text.notText(p.plain().length, p.key(), source.columns().get(p.col()).name());
        }
        plains.add(p);
    }

    /**
     * Encrypts and verifies the decrypted values of a chunk, after all of them were decrypted: the thread's AES cipher
     * then keeps the ACTIVE CDK's key schedule from one value to the next, where alternating decrypt (old CDK) and
     * encrypt (new CDK) per value made the JCE expand an AES key twice per value, half of a migration's crypto time.
     * A value whose CDK became current meanwhile (an encryption of this chunk under a new ACTIVE CDK) is skipped, as it
     * would have been had it been decided after that encryption.
     */
    private void encryptAll(List<Plain> plains, List<Pending> ready, Tally tally) {
        try {
            for (Plain p : plains) {
                if (!p.wasPlaintext() && fromContext == null && current.contains(p.from())) {
                    tally.alreadyTarget++;
                    continue;
                }
                String fresh = p.wasPlaintext() ? encryptVerified(p.plaintext(), p.context(), p.key(), p.col())
                        : encryptVerified(p.plain(), p.context(), p.key(), p.col(), p.deterministic());
                ready.add(new Pending(new ValueWrite(p.key(), p.col(), p.expected(), fresh), p.wasPlaintext()));
            }
        } finally {
            wipe(plains);
        }
    }

    /** A binary value: classified from its cell, then re-encrypted as a stream into a temporary file. */
    private Optional<Pending> prepareBinary(String key, int col, String value, String context, Tally tally) {
        Cell cell = Cell.of(source.columns().get(col), value);
        switch (cell.state()) {
            case PLAINTEXT -> {
                tally.plaintext++;
                return Optional.empty();
            }
            case MALFORMED -> {
                tally.unreadable++;
                return Optional.empty();
            }
            default -> {
                if (fromContext == null && current.contains(cell.cdk())) {
                    tally.alreadyTarget++;
                    return Optional.empty();
                }
            }
        }
        BinaryReencryption.Outcome o = binary.prepare(key, col, context, fromContext, current);
        if (o.write() != null) {
            return Optional.of(new Pending(null, o.write(), false));
        }
        switch (o.skip()) {
            case GONE -> tally.changedByApp++;
            case PLAINTEXT -> tally.plaintext++;
            case ALREADY_TARGET -> tally.alreadyTarget++;
            default -> tally.unreadable++;
        }
        return Optional.empty();
    }

    /** Re-binding: a value readable with its context is migrated as usual; one readable only with the old context is re-bound. */
    private Optional<Plain> rebind(String key, int col, String value, String context, Tally tally) {
        TextCiphertext old;
        byte[] plain;
        try {
            old = TextCiphertext.decode(value);
        } catch (MalformedCiphertextException e) {
            tally.unreadable++;
            return Optional.empty();
        }
        try {
            plain = text.decrypt(old, context);
            if (current.contains(old.cdk())) {
                DataKey.zeroize(plain);
                tally.alreadyTarget++;
                return Optional.empty();
            }
        } catch (DecryptionFailedException wrongContext) {
            try {
                plain = text.decrypt(old, fromContext);
            } catch (MalformedCiphertextException | DecryptionFailedException | UnknownCdkException e) {
                tally.unreadable++;
                return Optional.empty();
            }
        } catch (MalformedCiphertextException | UnknownCdkException e) {
            tally.unreadable++;
            return Optional.empty();
        }
        return Optional.of(Plain.decrypted(key, col, value, old, plain, context));
    }

    /**
     * Encrypts decrypted bytes in their kind (deterministic stays deterministic), checks that the new binary
     * ciphertext decrypts to the same bytes, and returns its text form.
     */
    private String encryptVerified(byte[] plain, String context, String key, int col, boolean deterministic) {
        TextCiphertext fresh = text.encrypt(plain, context, deterministic);
        byte[] back = null;
        try {
            back = text.decrypt(fresh, context);
            if (!MessageDigest.isEqual(plain, back)) {
                throw unverified(key, col, null);
            }
        } catch (DecryptionFailedException e) {
            throw unverified(key, col, e);
        } finally {
            DataKey.zeroize(back);
        }
        current.add(fresh.cdk());
        return fresh.text();
    }

    /** Encrypts a plaintext value (randomised), and checks it decrypts back. */
    private String encryptVerified(String plain, String context, String key, int col) {
        String fresh = text.encryptPlaintext(plain, context);
        try {
            if (!plain.equals(text.decrypt(fresh, context))) {
                throw unverified(key, col, null);
            }
        } catch (DecryptionFailedException e) {
            throw unverified(key, col, e);
        }
        current.add(TextCiphers.cdkIdOf(fresh));
        return fresh;
    }

    private MigrationException unverified(String key, int col, DecryptionFailedException cause) {
        return new MigrationException("verification failed for record " + key + ", column "
                + source.columns().get(col).name() + ": the new ciphertext does not decrypt to the value it was made"
                + " from. Nothing was written for it; check the keystore and the key cache, then run the migration"
                + " again.", cause);
    }

    /**
     * Settles the chunk in flight, then writes {@code pending}: text values on the writer (returned, to be settled
     * later), or, when the chunk holds binary values, everything here and now as before. Returns null when nothing
     * is in flight.
     */
    private Written flush(List<Pending> pending, int records, Tally tally, ChunkListener listener, ChunkWriter writer,
                          Written inFlight) {
        if (inFlight != null) {
            settle(inFlight, writer.await(), tally);
            listener.written(inFlight.records());
        }
        if (pending.isEmpty()) {
            listener.written(records);
            return null;
        }
        List<ValueWrite> writes = new ArrayList<>(pending.size());
        List<Pending> text = new ArrayList<>();
        List<Pending> binaries = new ArrayList<>();
        for (Pending p : pending) {
            if (p.write() != null) {
                writes.add(p.write());
                text.add(p);
            } else {
                binaries.add(p);
            }
        }
        if (binaries.isEmpty()) {
            pending.clear();
            writer.start(writes);
            return new Written(text, records);
        }
        boolean[] applied = source.write(writes);
        boolean[] binaryApplied = new boolean[binaries.size()];
        for (int i = 0; i < binaries.size(); i++) {
            BinaryWrite w = binaries.get(i).binaryWrite();
            try (w) {
                binaryApplied[i] = source.writeBinary(w.key(), w.column(), w.expected(), w.file());
            }
        }
        pending.clear();
        settle(new Written(text, records), applied, tally);
        for (int i = 0; i < binaryApplied.length; i++) {
            if (binaryApplied[i]) {
                tally.migrated++;
            } else {
                retryLostBinary(binaries.get(i).binaryWrite(), tally);
            }
        }
        listener.written(records);
        return null;
    }

    /** A chunk's text writes are committed: counts what they wrote and retries their lost compare-and-sets. */
    private void settle(Written chunk, boolean[] applied, Tally tally) {
        crash.reached("chunk-written");
        for (int i = 0; i < applied.length; i++) {
            Pending p = chunk.text().get(i);
            if (applied[i]) {
                tally.written(p.wasPlaintext());
            } else {
                retryLost(p.write(), tally);
            }
        }
    }

    /** The application changed the value between our read and our write: re-read and decide again. */
    private void retryLost(ValueWrite lost, Tally tally) {
        for (int attempt = 1; attempt < MAX_ATTEMPTS; attempt++) {
            Optional<SourceRecord> now = source.read(lost.key());
            String value = now.map(r -> r.values().get(lost.column())).orElse(null);
            if (value == null || !needsWork(value)) {
                tally.changedByApp++;
                return;
            }
            Tally scratch = new Tally();
            Optional<Pending> again = prepare(lost.key(), lost.column(), value, scratch);
            if (again.isEmpty()) {
                tally.unreadable += scratch.unreadable;
                tally.changedByApp += scratch.unreadable == 0 ? 1 : 0;
                return;
            }
            if (source.write(List.of(again.get().write()))[0]) {
                tally.written(again.get().wasPlaintext());
                return;
            }
        }
        tally.changedByApp++; // still changing under us: the reference scan shows what it holds
    }

    /** The application changed a binary value between our read and our write: re-read and decide again. */
    private void retryLostBinary(BinaryWrite lost, Tally tally) {
        SourceColumn column = source.columns().get(lost.column());
        for (int attempt = 1; attempt < MAX_ATTEMPTS; attempt++) {
            String value = source.read(lost.key()).map(r -> r.values().get(lost.column())).orElse(null);
            Cell cell = Cell.of(column, value);
            if (cell.state() != Cell.State.CIPHERTEXT || (fromContext == null && current.contains(cell.cdk()))) {
                tally.changedByApp++;
                return;
            }
            BinaryReencryption.Outcome o = binary.prepare(lost.key(), lost.column(), column.context(), fromContext, current);
            if (o.write() == null) {
                if (o.skip() == BinaryReencryption.Skip.UNREADABLE) {
                    tally.unreadable++;
                } else {
                    tally.changedByApp++;
                }
                return;
            }
            try (BinaryWrite w = o.write()) {
                if (source.writeBinary(w.key(), w.column(), w.expected(), w.file())) {
                    tally.migrated++;
                    return;
                }
            }
        }
        tally.changedByApp++; // still changing under us: the reference scan shows what it holds
    }

    private boolean needsWork(String value) {
        if (!TextCiphers.isEncrypted(value)) {
            return mode == MigrationMode.ENCRYPT_PLAINTEXT;
        }
        try {
            if (!current.contains(TextCiphers.cdkIdOf(value))) {
                return true;
            }
        } catch (MalformedCiphertextException e) {
            return false;
        }
        if (fromContext == null) {
            return false;
        }
        try {
            text.decrypt(value, source.columns().get(0).context());
            return false;
        } catch (DecryptionFailedException e) {
            return true; // still bound to the old context
        }
    }
}
