package dev.dataenc.control.cluster;

import dev.dataenc.config.DataEncConfig;
import dev.dataenc.config.RotationPolicy;
import dev.dataenc.control.ControlState;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a node's configuration file differs from the registry's data-encryption state (active keystore, cipher
 * type, rotation policy). The registry decides; the difference is <em>drift</em>: logged once at WARN (when it
 * first appears or changes), shown by {@code dataenc status}, never obeyed.
 */
public final class FileDrift {

    private static final Logger LOG = LoggerFactory.getLogger(FileDrift.class);

    private final AtomicReference<String> warned = new AtomicReference<>();
    private volatile String current;

    /** The drift of {@code file} against the registry state, or empty if the file agrees. */
    public static Optional<String> of(DataEncConfig file, ControlState registry, Optional<RotationPolicy> registryPolicy) {
        List<String> parts = new ArrayList<>();
        if (!file.activeKeystore().equals(registry.activeKeystore())) {
            parts.add("the file names active keystore '" + file.activeKeystore() + "', the registry '"
                    + registry.activeKeystore() + "'");
        }
        if (file.cipherType() != registry.cipherType()) {
            parts.add("the file names cipher type " + file.cipherType() + ", the registry " + registry.cipherType());
        }
        if (registryPolicy.isPresent() && !registryPolicy.get().equals(file.rotation())) {
            parts.add("the file's rotation policy is " + RotationPolicyStore.describe(file.rotation()) + ", the registry's "
                    + RotationPolicyStore.describe(registryPolicy.get()));
        }
        return parts.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", parts));
    }

    /** Records the node's drift now; logs it at WARN if it is new or changed. */
    public void record(Optional<String> drift) {
        current = drift.orElse(null);
        if (drift.isEmpty()) {
            warned.set(null);
            return;
        }
        String text = drift.get();
        if (!Objects.equals(warned.getAndSet(text), text)) {
            LOG.warn("configuration drift: {}. This node follows the registry; to change the cluster's state use"
                    + " 'dataenc switch' or 'dataenc policy set', or update this node's file to match.", text);
        }
    }

    /** The node's drift as last recorded, or {@code null}. */
    public String current() {
        return current;
    }
}
