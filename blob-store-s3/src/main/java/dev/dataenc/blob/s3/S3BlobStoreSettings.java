package dev.dataenc.blob.s3;

import dev.dataenc.keystore.LoopbackHost;

import java.net.URI;
import java.net.URISyntaxException;

import java.util.LinkedHashMap;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Where an {@link S3BlobStore} keeps its objects. Credentials are not settings: they come from the SDK's default
 * chain (system properties, environment, web identity, profile, container, instance role).
 *
 * @param bucket    the bucket
 * @param prefix    the key prefix the store covers ({@code ""} for the whole bucket; otherwise ends with {@code /})
 * @param region    the bucket's region; empty: the SDK's region chain ({@code AWS_REGION}, {@code aws.region},
 *                  the profile)
 * @param endpoint  an endpoint override (S3-compatible server, VPC endpoint); {@code http} only for loopback hosts
 * @param pathStyle path-style requests ({@code https://host/bucket/key}) instead of virtual-hosted ones
 */
public record S3BlobStoreSettings(String bucket, String prefix, Optional<String> region, Optional<URI> endpoint,
                                  boolean pathStyle) {

    /** Setting: the bucket (required). */
    public static final String BUCKET = "bucket";
    /** Setting: key prefix (optional; a {@code /} is appended if missing). */
    public static final String PREFIX = "prefix";
    /** Setting: region (optional). */
    public static final String REGION = "region";
    /** Setting: endpoint override URI (optional; {@code http://} only for loopback hosts). */
    public static final String ENDPOINT = "endpoint";
    /** Setting: {@code true}/{@code false}; default true with an endpoint override, false without. */
    public static final String PATH_STYLE = "path-style";

    private static final Set<String> NAMES = Set.of(BUCKET, PREFIX, REGION, ENDPOINT, PATH_STYLE);
    private static final Pattern BUCKET_NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9._-]{1,253}[a-zA-Z0-9]");
    private static final Pattern REGION_NAME = Pattern.compile("[a-z]{2,}(-[a-z0-9]+)+");

    public S3BlobStoreSettings {
        Objects.requireNonNull(bucket, "bucket");
        Objects.requireNonNull(prefix, "prefix");
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(endpoint, "endpoint");
    }

    /**
     * Parses and checks settings named {@link #BUCKET}, {@link #PREFIX}, {@link #REGION}, {@link #ENDPOINT},
     * {@link #PATH_STYLE}; absent or blank values are unset.
     *
     * @throws S3BlobStoreException naming the first bad setting and what it must be
     */
    public static S3BlobStoreSettings of(Map<String, String> settings) {
        Map<String, String> s = new LinkedHashMap<>();
        settings.forEach((k, v) -> {
            if (!NAMES.contains(k)) {
                throw new S3BlobStoreException("unknown S3 blob store setting '" + k + "'; known: " + String.join(", ",
                        new java.util.TreeSet<>(NAMES)));
            }
            if (v != null && !v.isBlank()) {
                s.put(k, v.strip());
            }
        });
        String bucket = s.get(BUCKET);
        if (bucket == null) {
            throw new S3BlobStoreException("the S3 bucket is required (--s3-bucket <bucket>)");
        }
        if (!BUCKET_NAME.matcher(bucket).matches() || bucket.contains("..")) {
            throw new S3BlobStoreException("'" + bucket + "' is not an S3 bucket name: give the bare name (3-255 of"
                    + " letters, digits, '.', '-', '_'), without s3:// or a path (a path goes in --s3-prefix)");
        }
        String prefix = s.getOrDefault(PREFIX, "");
        while (prefix.startsWith("/")) {
            prefix = prefix.substring(1);
        }
        if (!prefix.isEmpty() && !prefix.endsWith("/")) {
            prefix = prefix + "/";
        }
        Optional<String> region = Optional.ofNullable(s.get(REGION));
        if (region.isPresent() && !REGION_NAME.matcher(region.get()).matches()) {
            throw new S3BlobStoreException("'" + region.get() + "' is not an AWS region name such as eu-west-1"
                    + " (--s3-region)");
        }
        Optional<URI> endpoint = Optional.ofNullable(s.get(ENDPOINT)).map(S3BlobStoreSettings::endpoint);
        String pathStyle = s.get(PATH_STYLE);
        if (pathStyle != null && !pathStyle.equals("true") && !pathStyle.equals("false")) {
            throw new S3BlobStoreException("setting path-style must be true or false, got '" + pathStyle + "'");
        }
        return new S3BlobStoreSettings(bucket, prefix, region, endpoint,
                pathStyle == null ? endpoint.isPresent() : Boolean.parseBoolean(pathStyle));
    }

    private static URI endpoint(String value) {
        URI uri;
        try {
            uri = new URI(value);
            if (uri.getScheme() == null || uri.getHost() == null
                    || !(uri.getScheme().equals("https") || uri.getScheme().equals("http"))) {
                throw new URISyntaxException(value, "need http(s)://host[:port]");
            }
        } catch (URISyntaxException e) {
            throw new S3BlobStoreException("the S3 endpoint must be a URI such as https://s3.eu-west-1.amazonaws.com"
                    + " or http://127.0.0.1:9000, got '" + value + "' (--s3-endpoint)");
        }
        if (uri.getScheme().equals("http") && !LoopbackHost.is(uri.getHost())) {
            throw new S3BlobStoreException("the S3 endpoint uses http:// for host '" + uri.getHost() + "': requests"
                    + " carry credentials and the ciphertexts, so http is accepted only for loopback hosts"
                    + " (127.0.0.0/8, localhost, [::1]); use https://" + uri.getRawAuthority());
        }
        return uri;
    }

    /** {@code s3://bucket/prefix}: the store's name, the same from every process and endpoint. */
    public String location() {
        return "s3://" + bucket + "/" + prefix;
    }
}
