package dev.dataenc.jpa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ContextsTest {

    static class Outer {
        static class Account {
            @SuppressWarnings("unused")
            private String iban;

            @EncryptionContext("legacy.account.owner")
            public String getOwner() {
                return null;
            }

            public String getURL() {
                return null;
            }
        }
    }

    static class Blank {
        @EncryptionContext("")
        @SuppressWarnings("unused")
        private String secret;
    }

    @Test
    void fieldOfNestedClass_isSimpleNameDotAttribute() {
        assertEquals("Account.iban", Contexts.of(Outer.Account.class, "iban"));
        assertEquals("Customer.email", Contexts.of("com.example.shop.Customer", "email", null));
    }

    @Test
    void annotatedGetter_givesItsContext_andBeanNamesFollowJavaBeans() {
        assertEquals("legacy.account.owner", Contexts.of(Outer.Account.class, "owner"));
        assertEquals("Account.URL", Contexts.of(Outer.Account.class, "URL"));
    }

    @Test
    void unknownAttributeOrEmptyContext_failsNamingIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Contexts.of(Outer.Account.class, "email"));
        assertTrue(e.getMessage().contains("no attribute 'email'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Contexts.of(Blank.class, "secret"));
        assertTrue(e.getMessage().contains("@EncryptionContext on"), e.getMessage());
    }

    @Test
    void notInstalled_typesAndLookupFailWithTheRemedy() {
        DataEncJpa.uninstall();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> DataEncJpa.lookup("Customer.email", "x"));
        assertTrue(e.getMessage().contains("DataEncJpa.install"), e.getMessage());
    }
}
