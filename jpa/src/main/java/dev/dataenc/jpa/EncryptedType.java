package dev.dataenc.jpa;

import java.io.Serializable;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Properties;

import org.hibernate.engine.config.spi.ConfigurationService;
import org.hibernate.engine.spi.SharedSessionContractImplementor;
import org.hibernate.service.ServiceRegistry;
import org.hibernate.type.descriptor.WrapperOptions;
import org.hibernate.type.spi.TypeConfiguration;
import org.hibernate.type.spi.TypeConfigurationAware;
import org.hibernate.usertype.DynamicParameterizedType;
import org.hibernate.usertype.UserType;

/**
 * Base of the encrypted attribute types: derives the attribute's context from the entity and attribute names
 * Hibernate passes to a {@link DynamicParameterizedType} (or the attribute's {@link EncryptionContext}), finds the
 * dataenc service of its persistence unit through the {@link TypeConfiguration} Hibernate gives a
 * {@link TypeConfigurationAware} type (the unit's settings, {@link DataEncJpa#SERVICE}; else the holder of
 * {@link DataEncJpa#install}), and implements the JDBC read and write methods of both Hibernate 6 (session
 * arguments) and Hibernate 7 ({@link WrapperOptions} arguments), so one jar serves both. The methods are declared
 * here, on the type variable, so their erased signatures are the ones Hibernate calls.
 *
 * @param <J> the attribute's Java type
 */
abstract class EncryptedType<J> implements UserType<J>, DynamicParameterizedType, TypeConfigurationAware {

    private volatile String context;
    private volatile TypeConfiguration typeConfiguration;
    /** The service in the persistence unit's settings; null: the holder's. */
    private volatile UnitService unit;

    /** The stored value's plaintext (null stays null). */
    abstract J read(ResultSet rs, int position, String context) throws SQLException;

    /** Encrypts and binds {@code value} (null binds SQL NULL). */
    abstract void write(PreparedStatement st, J value, int index, String context) throws SQLException;

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
     * Called by Hibernate when it builds the persistence unit (before {@link #setParameterValues}): reads the unit's
     * settings for {@link DataEncJpa#SERVICE} and {@link DataEncJpa#ROLLOUT}.
     *
     * @throws IllegalArgumentException if those settings are invalid: the persistence unit is not built
     */
    @Override
    public void setTypeConfiguration(TypeConfiguration typeConfiguration) {
        this.typeConfiguration = typeConfiguration;
        this.unit = UnitService.of(settings(typeConfiguration));
    }

    private static java.util.Map<String, Object> settings(TypeConfiguration typeConfiguration) {
        ServiceRegistry registry = typeConfiguration.getServiceRegistry();
        ConfigurationService config = registry == null ? null : registry.getService(ConfigurationService.class);
        return config == null ? java.util.Map.of() : config.getSettings();
    }

    /** The persistence unit's type configuration, once Hibernate has given it. */
    @Override
    public TypeConfiguration getTypeConfiguration() {
        return typeConfiguration;
    }

    /** The ciphers of this attribute's persistence unit: its own service's, else the holder's. */
    DataEncJpa.Installed ciphers() {
        UnitService u = unit;
        return u != null ? u.ciphers() : DataEncJpa.current(getClass().getSimpleName() + " of " + context);
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

    /** Hibernate 6. */
    public J nullSafeGet(ResultSet rs, int position, SharedSessionContractImplementor session, Object owner)
            throws SQLException {
        return read(rs, position, context());
    }

    /** Hibernate 7. */
    public J nullSafeGet(ResultSet rs, int position, WrapperOptions options) throws SQLException {
        return read(rs, position, context());
    }

    /** Hibernate 6. */
    public void nullSafeSet(PreparedStatement st, J value, int index, SharedSessionContractImplementor session)
            throws SQLException {
        write(st, value, index, context());
    }

    /** Hibernate 7. */
    public void nullSafeSet(PreparedStatement st, J value, int index, WrapperOptions options) throws SQLException {
        write(st, value, index, context());
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
