package routes.work;

import java.io.IOException;
import java.nio.file.Path;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The work folders of this process, under {@code caravan.work-dir} (default: the temp folder's caravan-work). */
@Configuration(proxyBeanMethods = false)
public class WorkFoldersConfiguration {

    @Bean
    WorkFolders workFolders(@Value("${caravan.work-dir:}") String workDir) throws IOException {
        return new WorkFolders(workDir.isBlank() ? Path.of(System.getProperty("java.io.tmpdir"), "caravan-work")
                : Path.of(workDir));
    }
}
