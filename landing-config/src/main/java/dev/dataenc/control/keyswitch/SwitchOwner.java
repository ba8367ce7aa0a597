package dev.dataenc.control.keyswitch;

import dev.dataenc.audit.Actor;

import java.util.Objects;
import java.util.UUID;

/**
 * Identity of a process that works on switch jobs: {@code host:pid:random}. A job whose owner
 * ran on this host in a process that no longer exists can be taken over at once, without
 * waiting for its lease to run out.
 *
 * @param id    the lease owner id
 * @param actor who it is, for the audit trail
 */
public record SwitchOwner(String id, String actor) {

    public SwitchOwner {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(actor, "actor");
    }

    /** A new owner id for this process. */
    public static SwitchOwner thisProcess(String tool) {
        return new SwitchOwner(Actor.hostName() + ":" + ProcessHandle.current().pid() + ":"
                + UUID.randomUUID().toString().substring(0, 8), Actor.current(tool));
    }

    /** This process's lease owner id, acting as {@code actor} (who signed in to the web console, say). */
    public SwitchOwner actingAs(String actor) {
        return new SwitchOwner(id, actor);
    }

    /** True if {@code ownerId} names a process on this host that has ended. */
    public static boolean isGone(String ownerId) {
        if (ownerId == null) {
            return true;
        }
        String[] parts = ownerId.split(":");
        if (parts.length != 3 || !parts[0].equals(Actor.hostName())) {
            return false;
        }
        try {
            return ProcessHandle.of(Long.parseLong(parts[1])).map(p -> !p.isAlive()).orElse(true);
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
