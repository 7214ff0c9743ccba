// Runs EPUBCheck on each path read from standard input, in one JVM, so the validator's
// schemas are loaded once for the whole test session. For each path it prints the
// validator's messages, then one line: "RESULT <fatals> <errors> <warnings>".
// Started by tests/helpers.py with Java's source launcher: java -cp epubcheck.jar THIS_FILE
import com.adobe.epubcheck.api.EpubCheck;
import com.adobe.epubcheck.util.DefaultReportImpl;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

public class EpubCheckServer {
    public static void main(String[] args) throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            if (line.isBlank()) continue;
            DefaultReportImpl report = new DefaultReportImpl(line);
            try {
                new EpubCheck(new File(line), report).doValidate();
            } catch (Exception e) {
                System.out.println("FATAL " + e);
                System.out.println("RESULT 1 0 0");
                System.out.flush();
                continue;
            }
            System.out.println("RESULT " + report.getFatalErrorCount() + " " + report.getErrorCount()
                + " " + report.getWarningCount());
            System.out.flush();
        }
    }
}
