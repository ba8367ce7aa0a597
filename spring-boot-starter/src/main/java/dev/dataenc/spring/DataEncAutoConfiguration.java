package dev.dataenc.spring;

import dev.dataenc.config.ConfigLoader;
import dev.dataenc.config.DataEncConfig;
import dev.dataenc.config.DataEncConfigException;
import dev.dataenc.envelope.BlobCipher;
import dev.dataenc.envelope.PropertyCipher;
import dev.dataenc.inject.DataEncService;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.annotation.Bean;

import java.nio.file.Path;
import javax.sql.DataSource;

/**
 * dataenc in a Spring Boot 3.5 or 4.0 application: a {@link DataEncService} (opened when the context starts,
 * closed when it stops) and its {@link PropertyCipher} and {@link BlobCipher}, from the {@code dataenc.*}
 * properties ({@link DataEncProperties}) or from {@code dataenc.config-file}. With
 * {@code dataenc.registry.use-application-datasource=true} the CDK registry lives in the application's
 * {@link DataSource}. Runs after Boot's DataSource auto-configuration (named for Boot 3 and Boot 4, where it moved).
 */
@AutoConfiguration(afterName = {
        "org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration",
        "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration"})
@EnableConfigurationProperties(DataEncProperties.class)
@ConditionalOnProperty(prefix = "dataenc", name = "enabled", havingValue = "true", matchIfMissing = true)
public class DataEncAutoConfiguration {

    /**
     * The service; Spring calls {@link DataEncService#close()} when the context closes. It is created after the
     * application's database initialisation (its Flyway migrations, {@code schema.sql}), so a registry kept in the
     * application's DataSource never gets there first.
     *
     * @throws DataEncConfigException if the properties are invalid (same messages as for the file), or
     *         {@code use-application-datasource} is set without a DataSource bean
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    @DependsOnDatabaseInitialization
    public DataEncService dataEncService(DataEncProperties properties, ObjectProvider<DataSource> dataSource) {
        if (properties.getConfigFile() != null && !properties.getConfigFile().isBlank()) {
            return DataEncService.start(Path.of(properties.getConfigFile()));
        }
        Path baseDir = Path.of(properties.getBaseDir() == null || properties.getBaseDir().isBlank()
                ? "" : properties.getBaseDir()).toAbsolutePath();
        DataEncConfig config = ConfigLoader.fromMap(DataEncSettingsMapper.toSettings(properties), baseDir);
        if (properties.getRegistry().isUseApplicationDatasource()) {
            DataSource ds = dataSource.getIfUnique();
            if (ds == null) {
                throw new DataEncConfigException("dataenc.registry.use-application-datasource",
                        "dataenc.registry.use-application-datasource is true but the application has no single DataSource"
                                + " bean; add spring-boot-starter-jdbc and spring.datasource.url, or set it to false");
            }
            return DataEncService.start(config, ds);
        }
        return DataEncService.start(config);
    }

    /** Encrypts property values under the ACTIVE CDK. */
    @Bean
    @ConditionalOnMissingBean
    public PropertyCipher dataEncPropertyCipher(DataEncService service) {
        return service.propertyCipher();
    }

    /** Encrypts BLOBs under the ACTIVE CDK. */
    @Bean
    @ConditionalOnMissingBean
    public BlobCipher dataEncBlobCipher(DataEncService service) {
        return service.blobCipher();
    }
}
