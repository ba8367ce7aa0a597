package dev.dataenc.config;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Edits the configuration file in place, keeping its comments, blank lines, key order and
 * separators (only the values of the keys set change). Writes are atomic:
 * the new content goes to a temporary file in the same directory, is flushed to disk and then
 * renamed over the file, so readers (such as a {@link ConfigWatcher}) see the old or the new
 * file, never a half-written one. A symbolic link is followed: the real file is replaced in its own
 * directory and the link stays. The new file keeps the old one's owner, group and mode. A file
 * writable by others than its owner is refused ({@link ConfigFilePermissions}).
 */
public final class ConfigFile {

    private ConfigFile() {
    }

    /**
     * Sets {@code dataenc.keystore.active} and {@code dataenc.cipher-type}, adding them at the end
     * when missing. Everything else in the file stays as it is.
     *
     * @param file         the configuration file
     * @param keystoreName the keystore to make active; must be configured in the file
     * @param type         its cipher type; must match the keystore's type
     * @throws DataEncConfigException if the file cannot be read or written, the keystore is not
     *         configured in it, or {@code type} does not match the keystore's type
     */
    public static void writeActiveKeystore(Path file, String keystoreName, CipherType type) {
        Optional<DataEncConfigException> unreadable = ConfigLoader.checkReadable(file);
        if (unreadable.isPresent()) {
            throw unreadable.get();
        }
        ConfigFilePermissions.check(file);
        Path target;
        try {
            target = file.toRealPath();
        } catch (IOException e) {
            throw ConfigLoader.unparsable(file, e);
        }
        if (keystoreName == null || !ConfigLoader.KEYSTORE_NAME.matcher(keystoreName).matches()) {
            throw new DataEncConfigException(ConfigLoader.KEYSTORE_ACTIVE, "Cannot make '" + keystoreName
                    + "' the active keystore in " + target + ": not a valid keystore name");
        }
        String text;
        Map<String, List<String>> values;
        try {
            text = Files.readString(target, StandardCharsets.UTF_8);
            values = PropertiesText.parse(text);
        } catch (IOException e) {
            throw ConfigLoader.unparsable(target, e);
        }

        String typeKey = ConfigLoader.KEYSTORES_PREFIX + keystoreName + "." + ConfigLoader.TYPE_SETTING;
        List<String> types = values.getOrDefault(typeKey, List.of());
        String ksType = types.size() == 1 ? types.get(0) : null;
        if (ksType == null || ksType.isBlank()) {
            throw new DataEncConfigException(ConfigLoader.KEYSTORE_ACTIVE, "Cannot make '" + keystoreName
                    + "' the active keystore in " + target + ": it has no single " + typeKey + "; configure the keystore first");
        }
        CipherType needed = CipherType.ofKeystoreType(ksType.trim());
        if (needed != type) {
            throw new DataEncConfigException(ConfigLoader.CIPHER_TYPE, "Cannot make '" + keystoreName
                    + "' the active keystore in " + target + " with cipher type '" + type + "': its type '" + ksType.trim()
                    + "' needs cipher type '" + needed + "'");
        }

        PropertiesText edit = PropertiesText.of(text);
        edit.set(ConfigLoader.KEYSTORE_ACTIVE, keystoreName);
        edit.set(ConfigLoader.CIPHER_TYPE, type.configValue());
        writeAtomically(target, edit.text());
    }

    /**
     * Puts back the content a file had before a change (e.g. after a failed {@code switch}), the same way
     * {@link #writeActiveKeystore} writes: through a symbolic link to the real file, atomically, keeping
     * its owner, group and mode.
     *
     * @param file     the configuration file (may be a symbolic link)
     * @param original the bytes read from it before the change
     * @throws DataEncConfigException if the file cannot be written (it is then unchanged) or its
     *         permissions are unsafe (see {@link ConfigFilePermissions})
     */
    public static void restore(Path file, byte[] original) {
        ConfigFilePermissions.check(file);
        Path target;
        try {
            target = file.toRealPath();
        } catch (IOException e) {
            throw ConfigLoader.unparsable(file, e);
        }
        writeAtomically(target, original, ConfigFile::writeAll);
    }

    /** Writes the bytes of {@code content} to a channel: the seam tests use to fail a write half way. */
    @FunctionalInterface
    interface ContentWriter {
        /** Writes all of {@code content} to {@code channel}. */
        void write(FileChannel channel, ByteBuffer content) throws IOException;
    }

    /** Replaces {@code target} with {@code content} (UTF-8) by writing a sibling temporary file and renaming it. */
    static void writeAtomically(Path target, String content) {
        writeAtomically(target, content.getBytes(StandardCharsets.UTF_8), ConfigFile::writeAll);
    }

    /**
     * Replaces {@code target} (a real file, not a link) with {@code content}: writes a temporary file
     * in the same directory with the target's owner, group and mode, forces it to disk and renames it
     * over the target. On any failure the temporary file is deleted and the target is unchanged.
     */
    static void writeAtomically(Path target, byte[] content, ContentWriter writer) {
        Path dir = target.getParent();
        Path temp = null;
        try {
            temp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
            copyOwnership(target, temp);
            try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                writer.write(ch, ByteBuffer.wrap(content));
                ch.force(true);
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            temp = null;
            syncDirectory(dir);
        } catch (IOException e) {
            throw new DataEncConfigException(null, "Cannot write the data-encryption configuration " + target + ": "
                    + reason(e) + "; the file was not changed. Fix that (free space, permissions of " + dir
                    + ") and retry.", e);
        } finally {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // best effort; the name starts with '.' and ends with .tmp
                }
            }
        }
    }

    private static void writeAll(FileChannel ch, ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) {
            ch.write(buf);
        }
    }

    /** The OS's reason, without the exception class or a repeated file name. */
    private static String reason(IOException e) {
        if (e instanceof java.nio.file.FileSystemException f && f.getReason() != null) {
            return f.getReason();
        }
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }

    /** Gives {@code to} the owner, group and permissions of {@code from} (owner first: changing it may reset the mode). */
    private static void copyOwnership(Path from, Path to) throws IOException {
        PosixFileAttributeView view = Files.getFileAttributeView(to, PosixFileAttributeView.class);
        if (view == null) {
            return;
        }
        PosixFileAttributes want = Files.readAttributes(from, PosixFileAttributes.class);
        PosixFileAttributes have = view.readAttributes();
        if (!want.owner().equals(have.owner())) {
            view.setOwner(want.owner());
        }
        if (!want.group().equals(have.group())) {
            view.setGroup(want.group());
        }
        view.setPermissions(want.permissions());
    }

    private static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // not supported on every platform; the rename itself is atomic
        }
    }
}
