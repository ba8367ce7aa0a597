package dev.dataenc.control;

import dev.dataenc.config.CipherType;

import java.time.Instant;

/**
 * The registry-wide active keystore: the one new CDKs are generated under, as committed by the
 * last completed switch (table {@code dataenc_control}). Shared by every node on the registry.
 *
 * @param activeKeystore name of the active keystore
 * @param cipherType     its cipher type
 * @param updatedAt      when it was last changed
 * @param rowVersion     compare-and-set version
 */
public record ControlState(String activeKeystore, CipherType cipherType, Instant updatedAt, long rowVersion) {
}
