package dev.alexnet.architecture;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The packages point one way, read from the compiled classes: small shared utilities at the
 * bottom, then the model, the data, the training loop, run directories, reports, weights files,
 * predictions, then the benchmark and the server (side by side), and the command line at the top. A lower layer never
 * uses a higher one, and no two packages use each other.
 */
class LayersTest {

    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.alexnet");

    @Test
    void lowerLayersNeverUseHigherOnes() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("io").definedBy("dev.alexnet.io..")
                .layer("model").definedBy("dev.alexnet.model..")
                .layer("data").definedBy("dev.alexnet.data..")
                .layer("train").definedBy("dev.alexnet.train..")
                .layer("run").definedBy("dev.alexnet.run..")
                .layer("report").definedBy("dev.alexnet.report..")
                .layer("weights").definedBy("dev.alexnet.weights..")
                .layer("predict").definedBy("dev.alexnet.predict..")
                .layer("bench").definedBy("dev.alexnet.bench..")
                .layer("serve").definedBy("dev.alexnet.serve..")
                .layer("spark").definedBy("dev.alexnet.spark..")
                .layer("cli").definedBy("dev.alexnet.cli..")
                .whereLayer("cli").mayNotBeAccessedByAnyLayer()
                .whereLayer("serve").mayOnlyBeAccessedByLayers("cli")
                .whereLayer("spark").mayOnlyBeAccessedByLayers("cli")
                .whereLayer("bench").mayOnlyBeAccessedByLayers("cli")
                .whereLayer("predict").mayOnlyBeAccessedByLayers("bench", "serve", "spark", "cli")
                .whereLayer("weights").mayOnlyBeAccessedByLayers("predict", "bench", "serve", "spark", "cli")
                .whereLayer("report").mayOnlyBeAccessedByLayers("weights", "predict", "bench", "serve", "spark", "cli")
                .whereLayer("run").mayOnlyBeAccessedByLayers("report", "weights", "predict", "bench", "serve", "spark", "cli")
                .whereLayer("train").mayOnlyBeAccessedByLayers("run", "report", "weights", "predict", "bench", "serve", "spark", "cli")
                .whereLayer("data").mayOnlyBeAccessedByLayers("train", "run", "report", "weights", "predict", "bench",
                        "serve", "spark", "cli")
                .whereLayer("model").mayOnlyBeAccessedByLayers("data", "train", "run", "report", "weights", "predict",
                        "bench", "serve", "spark", "cli")
                .whereLayer("io").mayOnlyBeAccessedByLayers("model", "data", "train", "run", "report", "weights",
                        "predict", "bench", "serve", "spark", "cli")
                .check(MAIN);
    }

    @Test
    void noPackageCycles() {
        slices().matching("dev.alexnet.(*)..").should().beFreeOfCycles().check(MAIN);
    }

    @Test
    void everyPackageIsInALayer() {
        com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes().should()
                .resideInAnyPackage("dev.alexnet.io..", "dev.alexnet.model..", "dev.alexnet.data..",
                        "dev.alexnet.weights..", "dev.alexnet.train..", "dev.alexnet.run..", "dev.alexnet.report..",
                        "dev.alexnet.predict..", "dev.alexnet.bench..", "dev.alexnet.serve..", "dev.alexnet.spark..", "dev.alexnet.cli..")
                .because("a package outside the layers would escape the layering check")
                .check(MAIN);
    }
}
