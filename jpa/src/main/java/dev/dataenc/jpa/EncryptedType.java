package dev.dataenc.jpa;

import jakarta.persistence.EntityManagerFactory;

import java.io.Serializable;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Properties;

import org.hibernate.engine.spi.SharedSessionContractImplementor;
import org.hibernate.type.descriptor.WrapperOptions;
import org.hibernate.usertype.DynamicParameterizedType;
import org.hibernate.usertype.UserType;

/**
 * Base of the encrypted attribute types: derives the attribute's context from the entity and attribute names
 * Hibernate passes to a {@link DynamicParameterizedType} (or the attribute's {@link EncryptionContext}), finds the
 * dataenc service of the factory it reads or writes for (the factory Hibernate passes with each call: its
 * properties, {@link DataEncJpa#SERVICE}; else the holder of {@link DataEncJpa#install}), and implements the JDBC
 * read and write methods of both Hibernate 6 (session arguments) and Hibernate 7 ({@link WrapperOptions}
 * arguments), so one jar serves both. The methods are declared here, on the type variable, so their erased
 * signatures are the ones Hibernate calls.
 *
 * @param <J> the attribute's Java type
 */
abstract class EncryptedType<J> implements UserType<J>, DynamicParameterizedType {

    private volatile String context;
    /** What the last factory's properties said (normally the only factory: Hibernate makes a type per factory). */
    private volatile Unit unit;

    /** A factory and the service in its properties (null: the holder's). */
    private record Unit(EntityManagerFactory factory, UnitService service) {
    }

    /**
     * The stored value's plaintext (null stays null); {@code factory} is the factory Hibernate reads for (its ciphers:
     * {@link #ciphers(EntityManagerFactory)}, asked only for a value).
     */
    abstract J read(ResultSet rs, int position, String context, EntityManagerFactory factory) throws SQLException;

    /** Encrypts and binds {@code value} (null binds SQL NULL). */
    abstract void write(PreparedStatement st, J value, int index, String context, EntityManagerFactory factory)
            throws SQLException;

    @Override
    public void setParameterValues(Properties parameters) {
        Object entity = parameters.get(ENTITY);
        Object property = parameters.get(PROPERTY);
        Object type = parameters.get(PARAMETER_TYPE);
        java.lang.annotation.Annotation[] annotations = type instanceof ParameterType p ? p.getAnnotationsMethod() : null;
        if (entity == null || property == null) {
            throw new IllegalArgumentException(getClass().getSimpleName() + " was given no entity and attribute name by"
                    + " Hibernate (parameters " + parameters.keySet() + "), so it cannot derive its context; use it on an"
                    + " entity attribute with @Type, and add @EncryptionContext(\"...\") where it is used elsewhere");
        }
        context = Contexts.of(entity.toString(), property.toString(), annotations);
    }

    /**
     * The ciphers for {@code factory}: those of the service in its properties under {@link DataEncJpa#SERVICE} (read
     * by {@link DataEncJpaIntegrator} when the factory was built), else the holder's.
     */
    DataEncJpa.Installed ciphers(EntityManagerFactory factory) {
        Unit u = unit;
        if (u == null || (factory != null && u.factory() != factory)) {
            if (factory == null) {
                return DataEncJpa.current(who());
            }
            u = new Unit(factory, UnitService.of(factory));
            unit = u;
        }
        return u.service() != null ? u.service().ciphers() : DataEncJpa.current(who());
    }

    private String who() {
        return getClass().getSimpleName() + " of " + context;
    }

    /** The context this attribute's values are bound to. */
    String context() {
        String c = context;
        if (c == null) {
            throw new IllegalStateException(getClass().getSimpleName() + " has no context: Hibernate did not pass it the"
                    + " entity and attribute names; map the attribute with @Type(" + getClass().getSimpleName() + ".class)");
        }
        return c;
    }

    /** Hibernate 6: decrypts with the ciphers of the session's factory. */
    public J nullSafeGet(ResultSet rs, int position, SharedSessionContractImplementor session, Object owner)
            throws SQLException {
        return read(rs, position, context(), session == null ? null : session.getFactory());
    }

    /** Hibernate 7: decrypts with the ciphers of the factory of {@code options}. */
    public J nullSafeGet(ResultSet rs, int position, WrapperOptions options) throws SQLException {
        return read(rs, position, context(), options == null ? null : options.getSessionFactory());
    }

    /** Hibernate 6: encrypts with the ciphers of the session's factory. */
    public void nullSafeSet(PreparedStatement st, J value, int index, SharedSessionContractImplementor session)
            throws SQLException {
        write(st, value, index, context(), session == null ? null : session.getFactory());
    }

    /** Hibernate 7: encrypts with the ciphers of the factory of {@code options}. */
    public void nullSafeSet(PreparedStatement st, J value, int index, WrapperOptions options) throws SQLException {
        write(st, value, index, context(), options == null ? null : options.getSessionFactory());
    }

    @Override
    public Serializable disassemble(J value) {
        return (Serializable) deepCopy(value);
    }

    @SuppressWarnings("unchecked")
    @Override
    public J assemble(Serializable cached, Object owner) {
        return deepCopy((J) cached);
    }

    @Override
    public J replace(J detached, J managed, Object owner) {
        return deepCopy(detached);
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[context=" + context + "]";
    }
}
