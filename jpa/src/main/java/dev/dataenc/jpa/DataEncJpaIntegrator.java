package dev.dataenc.jpa;

import org.hibernate.boot.Metadata;
import org.hibernate.boot.spi.BootstrapContext;
import org.hibernate.engine.spi.SessionFactoryImplementor;
import org.hibernate.integrator.spi.Integrator;
import org.hibernate.service.spi.SessionFactoryServiceRegistry;

/**
 * Reads the dataenc settings of every SessionFactory (EntityManagerFactory) when Hibernate builds it: a wrong
 * {@link DataEncJpa#SERVICE} or {@link DataEncJpa#ROLLOUT} stops the start instead of the first encrypted read or
 * write, and the factory's attributes share one service (a supplier is asked once per factory). Hibernate finds it by
 * itself ({@code META-INF/services/org.hibernate.integrator.spi.Integrator}); a factory without those settings uses
 * the holder of {@link DataEncJpa#install}. Not for direct use.
 */
public final class DataEncJpaIntegrator implements Integrator {

    /** Created by Hibernate's service loading. */
    public DataEncJpaIntegrator() {
    }

    /**
     * Checks and keeps the factory's properties.
     *
     * @throws IllegalArgumentException if {@link DataEncJpa#SERVICE} holds neither a DataEncService nor a supplier of
     *         one, {@link DataEncJpa#ROLLOUT} is no {@link Rollout}, or a rollout is set without a service
     */
    @Override
    public void integrate(Metadata metadata, BootstrapContext bootstrapContext, SessionFactoryImplementor sessionFactory) {
        UnitService.register(sessionFactory, sessionFactory.getProperties());
    }

    /** Forgets the closed factory. */
    @Override
    public void disintegrate(SessionFactoryImplementor sessionFactory, SessionFactoryServiceRegistry serviceRegistry) {
        UnitService.forget(sessionFactory);
    }
}
