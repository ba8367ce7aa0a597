package dev.dataenc.spring.it;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The host application under test: nothing but Boot's auto-configuration, the dataenc starter and a repository. */
@SpringBootApplication
public class CustomerApp {
}
