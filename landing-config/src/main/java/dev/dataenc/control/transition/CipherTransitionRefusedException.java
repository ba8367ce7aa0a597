package dev.dataenc.control.transition;

import dev.dataenc.error.DataEncException;

/** A cipher-transition step was refused because its precondition does not hold; nothing changed. */
public class CipherTransitionRefusedException extends DataEncException {

    public CipherTransitionRefusedException(String message) {
        super(message);
    }
}
