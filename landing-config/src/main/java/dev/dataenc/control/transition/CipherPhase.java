package dev.dataenc.control.transition;

/**
 * The phases of a {@link CipherTransition}, in order. Each is entered only when its guard proves
 * that nothing becomes unreadable.
 */
public enum CipherPhase {
    /** Recorded; the new keystore is being given a wrapping of every CDK in use. */
    STARTED("the transition is recorded; every CDK in use is being wrapped under the new keystore"),
    /** (1) The new cipher can decrypt everything (every CDK in use is wrapped under it); the old one still encrypts. */
    NEW_DECRYPTS("(1) the new keystore decrypts everything; the old one still encrypts"),
    /** (2) The new keystore is active: new data is encrypted under a CDK the old cipher never wrapped; both decrypt. */
    NEW_ENCRYPTS("(2) the new keystore encrypts; both decrypt"),
    /** (3) No record references a CDK the old cipher wrapped: they are all RETIRED (proven by migration scans). */
    MIGRATED("(3) records are migrated: every CDK the old cipher wrapped is RETIRED"),
    /** (4) The old cipher's wrappings are gone and the old keystore is refused from now on. */
    OLD_REFUSED("(4) the old cipher is refused: its wrappings are removed and it can never be active again");

    private final String meaning;

    CipherPhase(String meaning) {
        this.meaning = meaning;
    }

    /** What this phase means, for the CLI. */
    public String meaning() {
        return meaning;
    }

    /** The phase after this one. */
    public CipherPhase next() {
        if (this == OLD_REFUSED) {
            throw new IllegalStateException("OLD_REFUSED is the last phase");
        }
        return values()[ordinal() + 1];
    }
}
