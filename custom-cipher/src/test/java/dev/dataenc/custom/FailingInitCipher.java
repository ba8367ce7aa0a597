package dev.dataenc.custom;

import java.util.Map;

/** A cipher whose init fails (as a site's cipher would with a bad setting). */
public class FailingInitCipher extends UnauthenticatedCtrCipher {

    @Override
    public void init(Map<String, String> settings) throws Exception {
        throw new java.io.IOException("HSM slot 3 not found");
    }
}
