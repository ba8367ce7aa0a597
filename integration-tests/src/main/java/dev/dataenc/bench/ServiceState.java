package dev.dataenc.bench;

import dev.dataenc.envelope.BlobCipher;
import dev.dataenc.envelope.PropertyCipher;
import dev.dataenc.inject.DataEncService;

import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/** One started {@link DataEncService} shared by every benchmark thread, as in a host application. */
@State(Scope.Benchmark)
public class ServiceState {

    ServiceKeys files;
    DataEncService service;
    PropertyCipher properties;
    BlobCipher blobs;

    @Setup(Level.Trial)
    public void start() {
        files = new ServiceKeys();
        service = files.start();
        properties = service.propertyCipher();
        blobs = service.blobCipher();
    }

    @TearDown(Level.Trial)
    public void stop() throws Exception {
        service.close();
        files.close();
    }
}
