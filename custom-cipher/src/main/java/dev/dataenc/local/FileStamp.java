package dev.dataenc.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;

/**
 * What a {@code stat} says about the keystore file: modification time, size and file key (inode).
 * Every change is an atomic rename of a new file, so a different stamp means "re-read".
 */
record FileStamp(FileTime modified, long size, Object fileKey) {

    /** The file's current stamp. */
    static FileStamp of(Path path) throws IOException {
        BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class);
        return new FileStamp(a.lastModifiedTime(), a.size(), a.fileKey());
    }
}
