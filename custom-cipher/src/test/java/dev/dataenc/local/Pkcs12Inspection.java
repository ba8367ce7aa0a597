package dev.dataenc.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.spec.InvalidParameterSpecException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.EncryptedPrivateKeyInfo;
import javax.crypto.spec.PBEParameterSpec;

/**
 * Reads the protection parameters back out of a PKCS#12 file, independently of the code that wrote them:
 * the key bags' iteration counts through the JDK's {@link EncryptedPrivateKeyInfo}, the MAC's through
 * {@code openssl pkcs12 -info} when OpenSSL is installed.
 */
final class Pkcs12Inspection {

    private static final byte[] DATA_OID = HexFormat.of().parseHex("06092a864886f70d010701");
    private static final byte[] SECRET_BAG_OID = HexFormat.of().parseHex("060b2a864886f70d010c0a0105");

    private Pkcs12Inspection() {
    }

    /** The PBE iteration count of every secret-key bag in the file. */
    static List<Integer> keyBagIterations(Path file) throws IOException, InvalidParameterSpecException {
        List<Integer> found = new ArrayList<>();
        List<Der.Element> pfx = Der.parse(Files.readAllBytes(file)).children();
        byte[] authenticated = pfx.get(1).children().get(1).children().get(0).content();
        for (Der.Element contentInfo : Der.parse(authenticated).children()) {
            List<Der.Element> ci = contentInfo.children();
            if (!java.util.Arrays.equals(ci.get(0).encoding(), DATA_OID)) {
                continue; // encrypted certificate data: dataenc writes no certificates
            }
            byte[] safeContents = ci.get(1).children().get(0).content();
            for (Der.Element bag : Der.parse(safeContents).children()) {
                List<Der.Element> parts = bag.children();
                if (!java.util.Arrays.equals(parts.get(0).encoding(), SECRET_BAG_OID)) {
                    continue;
                }
                Der.Element secretBag = parts.get(1).children().get(0);
                byte[] encryptedKeyInfo = secretBag.children().get(1).children().get(0).content();
                EncryptedPrivateKeyInfo info = new EncryptedPrivateKeyInfo(encryptedKeyInfo);
                found.add(info.getAlgParameters().getParameterSpec(PBEParameterSpec.class).getIterationCount());
            }
        }
        return found;
    }

    /** True when an {@code openssl} binary runs here. */
    static boolean opensslAvailable() {
        try {
            Process p = new ProcessBuilder("openssl", "version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The MAC's digest and iteration count as {@code openssl pkcs12 -info -noout} reports them, e.g. {@code sha256 600000}. */
    static String opensslMac(Path file, String password) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder("openssl", "pkcs12", "-info", "-noout", "-in", file.toString(),
                "-passin", "env:DATAENC_TEST_P12_PASSWORD").redirectErrorStream(true);
        pb.environment().put("DATAENC_TEST_P12_PASSWORD", password);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        p.waitFor(60, TimeUnit.SECONDS);
        Matcher m = Pattern.compile("MAC: (\\S+), Iteration (\\d+)").matcher(out);
        if (!m.find()) {
            throw new IOException("openssl did not report the MAC: " + out);
        }
        return m.group(1) + " " + m.group(2);
    }
}
