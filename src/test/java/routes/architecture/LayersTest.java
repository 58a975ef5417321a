package routes.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * How the packages of the app depend on each other, read from the compiled classes: one way only (no cycle between
 * any two of them), the workers free of Camel, and the domain free of the API layer and of DynamoDB's types.
 */
class LayersTest {

    static JavaClasses app;

    @BeforeAll
    static void importTheApp() {
        app = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("routes");
    }

    @Test
    void packagesDependOnEachOtherOneWayOnly() {
        slices().matching("routes.(*)..").should().beFreeOfCycles().check(app);
    }

    @Test
    void workersKnowNothingOfCamel() {
        noClasses().that().haveSimpleNameEndingWith("Steps").and().resideOutsideOfPackage("routes.jobs..")
                .should().dependOnClassesThat().resideInAPackage("org.apache.camel..").check(app);
        noClasses().that().resideInAnyPackage("routes.jobs..", "routes.assets..", "routes.media..")
                .should().dependOnClassesThat().resideInAPackage("org.apache.camel..").check(app);
    }

    @Test
    void theDomainRefusesWithoutKnowingTheApi() {
        noClasses().that().resideOutsideOfPackage("routes.api..")
                .should().dependOnClassesThat().resideInAPackage("routes.api..").check(app);
    }

    @Test
    void domainRecordsHoldNoDynamoDbTypes() {
        noClasses().that().resideInAnyPackage("routes.assets..", "routes.jobs..")
                .and().haveSimpleNameNotEndingWith("Store").and().haveSimpleNameNotEndingWith("Configuration")
                .should().dependOnClassesThat().resideInAPackage("software.amazon.awssdk.services.dynamodb..")
                .check(app);
    }
}
