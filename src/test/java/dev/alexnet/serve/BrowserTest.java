package dev.alexnet.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import dev.alexnet.run.RunDirectory;
import dev.alexnet.weights.ShippedModel;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The page and the board in a real headless Chromium (Debian's chromium and chromium-driver, driven by
 * Selenium with the driver's path given, so nothing is downloaded). With
 * {@code -Dalexnet.screenshots=DIR} it also saves the screenshots the README shows.
 */
class BrowserTest {

    /** Debian's browser and driver, as {@code .ci/run} installs them. */
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    @TempDir
    static Path temp;

    private static InferenceServer server;
    private static ChromeDriverService service;
    private static WebDriver browser;
    private static Path runs;
    private static List<String> sixthEpoch;

    /** The run that made the shipped model: its configuration, metrics and curves. */
    static final Path SHIPPED_RUN = Path.of("models/alexnet28-quick-record");

    @BeforeAll
    static void start() throws Exception {
        assertTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "the browser tests need Debian's chromium and chromium-driver (bin/setup installs them)");
        runs = Files.createDirectories(temp.resolve("runs"));
        // a run in progress: the shipped model's own run, as far as its fifth epoch
        Path run = Files.createDirectories(runs.resolve("live"));
        Files.copy(SHIPPED_RUN.resolve(RunDirectory.CONFIG_FILE), run.resolve(RunDirectory.CONFIG_FILE));
        Files.copy(SHIPPED_RUN.resolve("curves.png"), run.resolve("curves.png"));
        com.google.gson.JsonObject manifest = com.google.gson.JsonParser.parseString(
                Files.readString(SHIPPED_RUN.resolve("manifest.json"))).getAsJsonObject();
        manifest.addProperty("status", "running");
        manifest.addProperty("epochsDone", 5);
        manifest.remove("endedAt");
        Files.writeString(run.resolve("manifest.json"), manifest.toString());
        List<String> lines = Files.readAllLines(SHIPPED_RUN.resolve("metrics.csv"));
        int fifth = lines.indexOf(lines.stream().filter(line -> line.startsWith("epoch,5,")).findFirst().orElseThrow());
        Files.write(run.resolve("metrics.csv"), lines.subList(0, fifth + 1));
        sixthEpoch = lines.subList(fifth + 1, lines.indexOf(lines.stream()
                .filter(line -> line.startsWith("epoch,6,")).findFirst().orElseThrow()) + 1);
        server = InferenceServer.start(new ServeConfig("127.0.0.1", 0, 32, 5, 10L << 20, null, runs, null),
                List.of(new ModelSpec(ShippedModel.NAME, ShippedModel.FILE, false)), Device.cpu(), line -> { });
        service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort()
                .build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--window-size=1280,900",
                "--user-data-dir=" + Files.createDirectories(temp.resolve("chromium-profile")));
        browser = new ChromeDriver(service, options);
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (service != null) {
            service.stop();
        }
        if (server != null) {
            server.close();
        }
    }

    private static String url(String path) {
        return "http://127.0.0.1:" + server.port() + path;
    }

    private static WebDriverWait waiting() {
        return new WebDriverWait(browser, Duration.ofSeconds(60));
    }

    @Test
    void aChosenPictureShowsTheLabelTheApiGives() throws Exception {
        Path picture = Path.of("docs/examples/sneaker.png");
        ServerClient client = new ServerClient(server.port());
        String expected = client.post("/predictions/" + ShippedModel.NAME, Files.readAllBytes(picture), "image/png")
                .json().getAsJsonArray().get(0).getAsJsonObject().get("className").getAsString();

        browser.get(url("/"));
        waiting().until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#model option")));
        browser.findElement(By.id("file")).sendKeys(picture.toAbsolutePath().toString());
        waiting().until(driver -> !driver.findElement(By.id("top-label")).getText().isEmpty());
        assertEquals(expected, browser.findElement(By.id("top-label")).getText());
        assertEquals(10, browser.findElements(By.cssSelector("#bars .bar")).size());
        screenshot("serve-page.png");
    }

    @Test
    void theBoardGainsAPointWhenTheRunAppendsAnEpoch() throws Exception {
        browser.get(url("/runs"));
        waiting().until(ExpectedConditions.presenceOfElementLocated(By.linkText("live")));
        browser.findElement(By.linkText("live")).click();
        waiting().until(ExpectedConditions.textToBe(By.id("epochs-count"), "5"));
        assertTrue(browser.findElement(By.id("config")).getText().contains("alexnet28"));
        String points = browser.findElement(By.id("points-count")).getText();
        Files.write(runs.resolve("live/metrics.csv"), sixthEpoch, StandardOpenOption.APPEND);
        waiting().until(ExpectedConditions.textToBe(By.id("epochs-count"), "6"));
        long trainLines = sixthEpoch.stream().filter(line -> line.startsWith("train,")).count();
        assertEquals(Long.parseLong(points) + trainLines, Long.parseLong(browser.findElement(By.id("points-count")).getText()));
        screenshot("serve-board.png");
    }

    /** Saves what the browser shows under {@code -Dalexnet.screenshots=DIR}, for the README. */
    private static void screenshot(String name) throws Exception {
        String dir = System.getProperty("alexnet.screenshots");
        if (dir != null) {
            File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
            Files.copy(shot.toPath(), Path.of(dir).resolve(name), StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
