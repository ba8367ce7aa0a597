package dev.dataenc.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.Set;

/**
 * Who may change the configuration file: only its owner. Whoever can write the file chooses the
 * keystore that wraps new data keys and the registry that hands them out, so they are a key
 * custodian. dataenc refuses, before reading or writing it:
 * <ul>
 *   <li>a file writable by its group or by others;</li>
 *   <li>a file whose directory is writable by its group or by others without the sticky bit (anyone
 *       who can write the directory can replace the file);</li>
 *   <li>for a symbolic link, the same for the directory holding the link.</li>
 * </ul>
 * The rules follow symbolic links to the real file. On file systems without POSIX permissions
 * (Windows) nothing is checked.
 */
final class ConfigFilePermissions {

    private static final int STICKY = 01000;

    private ConfigFilePermissions() {
    }

    /**
     * @param file the configuration file (may be a symbolic link)
     * @throws DataEncConfigException naming the file or directory, its mode and the {@code chmod} to run
     */
    static void check(Path file) {
        Path given = file.toAbsolutePath();
        Path real;
        try {
            real = given.toRealPath();
        } catch (IOException e) {
            throw ConfigLoader.unparsable(given, e);
        }
        Optional<PosixFileAttributes> attrs = posix(real);
        if (attrs.isEmpty()) {
            return;
        }
        Set<PosixFilePermission> perms = attrs.get().permissions();
        String who = writers(perms);
        if (!who.isEmpty()) {
            throw new DataEncConfigException(null, "Refusing the data-encryption configuration " + real + ": it is writable"
                    + " by " + who + " (mode " + mode(perms) + "); whoever can write it chooses the keys, so only its owner"
                    + " may. Run: chmod go-w " + real);
        }
        checkDirectory(real, real.getParent());
        if (!given.getParent().equals(real.getParent()) && Files.isSymbolicLink(given)) {
            checkDirectory(real, given.getParent());
        }
    }

    private static void checkDirectory(Path real, Path dir) {
        if (dir == null) {
            return;
        }
        Optional<PosixFileAttributes> attrs = posix(dir);
        if (attrs.isEmpty()) {
            return;
        }
        Set<PosixFilePermission> perms = attrs.get().permissions();
        String who = writers(perms);
        if (who.isEmpty() || sticky(dir)) {
            return;
        }
        throw new DataEncConfigException(null, "Refusing the data-encryption configuration " + real + ": its directory "
                + dir + " is writable by " + who + " (mode " + mode(perms) + ") without the sticky bit, so they can replace"
                + " the file. Run: chmod go-w " + dir + " (or move the file to a directory only its owner can write)");
    }

    private static Optional<PosixFileAttributes> posix(Path p) {
        try {
            return Optional.of(Files.readAttributes(p, PosixFileAttributes.class));
        } catch (UnsupportedOperationException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw ConfigLoader.unparsable(p, e);
        }
    }

    /** Whether the directory has the sticky bit (only owners may rename or delete their entries). */
    private static boolean sticky(Path dir) {
        try {
            Object mode = Files.getAttribute(dir, "unix:mode", LinkOption.NOFOLLOW_LINKS);
            return mode instanceof Integer m && (m & STICKY) != 0;
        } catch (UnsupportedOperationException | IllegalArgumentException | IOException e) {
            return false;
        }
    }

    private static String writers(Set<PosixFilePermission> perms) {
        boolean group = perms.contains(PosixFilePermission.GROUP_WRITE);
        boolean others = perms.contains(PosixFilePermission.OTHERS_WRITE);
        return group && others ? "its group and others" : group ? "its group" : others ? "others" : "";
    }

    /** E.g. {@code 0664 rw-rw-r--}. */
    static String mode(Set<PosixFilePermission> perms) {
        int m = 0;
        for (PosixFilePermission p : perms) {
            m |= 1 << (8 - p.ordinal());
        }
        return String.format("%04o %s", m, PosixFilePermissions.toString(perms));
    }
}
