package dev.dataenc.custom;

/** A cipher class without a public no-argument constructor. */
public class NoDefaultConstructorCipher extends UnauthenticatedCtrCipher {

    public NoDefaultConstructorCipher(String keyMaterial) {
        keyMaterial.length();
    }
}
