package io.microchat.e2e;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.microchat.devstack.TemporaryDirectory;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.chromium.ChromiumNetworkConditions;
import org.openqa.selenium.support.ui.ExpectedCondition;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * One isolated headless Chromium (its own profile, so its own storage) driving the MicroChat app like a person:
 * Debian's chromium and chromium-driver, never a downloaded browser.
 */
final class Browser implements AutoCloseable {

    static final String CHROMIUM = "/usr/bin/chromium";
    static final String CHROMEDRIVER = "/usr/bin/chromedriver";
    private static final Duration WAIT = Duration.ofSeconds(15);

    private final TemporaryDirectory profile = TemporaryDirectory.create("chromium-profile");
    private final ChromeDriver driver;
    private final WebDriverWait wait;

    Browser(int width, int height) {
        ChromeOptions options = new ChromeOptions()
                .setBinary(CHROMIUM)
                .addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                              "--disable-background-networking", "--disable-component-update", "--disable-sync",
                              "--disable-quic", "--no-first-run", "--disable-extensions",
                              "--user-data-dir=" + profile.path(), "--window-size=" + width + "," + height);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER))
                .usingAnyFreePort()
                .build();
        driver = new ChromeDriver(service, options);
        wait = new WebDriverWait(driver, WAIT);
    }

    Browser() {
        this(1280, 860);
    }

    static boolean available() {
        return new File(CHROMIUM).canExecute() && new File(CHROMEDRIVER).canExecute();
    }

    void open(String url) {
        driver.get(url);
    }

    /** Runs a script in every page this browser loads from now on, before the page's own scripts. */
    void beforeEveryPage(String javascript) {
        driver.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", javascript));
    }

    void reload() {
        driver.navigate().refresh();
    }

    void register(String username, String password) {
        awaitVisible("login-view");
        type("username", username);
        type("password", password);
        driver.findElement(By.id("register-button")).click();
    }

    void login(String username, String password) {
        awaitVisible("login-view");
        type("username", username);
        type("password", password);
        driver.findElement(By.id("login-button")).click();
    }

    void awaitChat() {
        awaitVisible("chat-view");
        await(d -> "connected".equals(text("connection-state")));
    }

    void openConversationWith(String username) {
        await(d -> Boolean.TRUE.equals(script(
                "const li = [...document.querySelectorAll('#online-list li, #conversation-list li')]"
                + ".find(e => e.querySelector('.name').textContent === arguments[0]);"
                + "if (li) { li.click(); } return !!li;", username)));
        await(d -> username.equals(text("conversation-title")));
    }

    void send(String text) {
        WebElement composer = driver.findElement(By.id("composer-text"));
        composer.sendKeys(text);
        composer.sendKeys(Keys.ENTER);
    }

    @SuppressWarnings("unchecked")
    List<String> messageTexts() {
        return (List<String>) script("return [...document.querySelectorAll('#messages li.message .text')]"
                                     + ".map(e => e.textContent)");
    }

    String statusOfMyMessage(String text) {
        Object status = script("const li = [...document.querySelectorAll('#messages li.message.mine')]"
                               + ".find(e => e.querySelector('.text').textContent === arguments[0]);"
                               + "return li ? li.dataset.status : 'absent';", text);
        return String.valueOf(status);
    }

    @SuppressWarnings("unchecked")
    List<String> online() {
        return (List<String>) script("return [...document.querySelectorAll('#online-list li .name')]"
                                     + ".map(e => e.textContent)");
    }

    String unreadBadge(String username) {
        return String.valueOf(script("const li = [...document.querySelectorAll('#conversation-list li')]"
                                     + ".find(e => e.querySelector('.name').textContent === arguments[0]);"
                                     + "const badge = li && li.querySelector('.badge');"
                                     + "return badge ? badge.textContent : '';", username));
    }

    String text(String id) {
        return driver.findElement(By.id(id)).getText();
    }

    boolean isVisible(String id) {
        return driver.findElement(By.id(id)).isDisplayed();
    }

    Object script(String javascript, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(javascript, args);
    }

    int count(String css) {
        return ((Number) script("return document.querySelectorAll(arguments[0]).length", css)).intValue();
    }

    void awaitVisible(String id) {
        await(d -> d.findElement(By.id(id)).isDisplayed());
    }

    <T> T await(ExpectedCondition<T> condition) {
        return wait.until(condition);
    }

    Path screenshot(String name) {
        try {
            Path dir = Path.of(System.getProperty("screenshots.dir", "target/screenshots"));
            Files.createDirectories(dir);
            Path target = dir.resolve(name + ".png");
            Files.copy(driver.getScreenshotAs(OutputType.FILE).toPath(), target, StandardCopyOption.REPLACE_EXISTING);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Keys typed into whatever has the focus, as a keyboard user would. */
    void keys(CharSequence... keys) {
        driver.switchTo().activeElement().sendKeys(keys);
    }

    void click(String id) {
        driver.findElement(By.id(id)).click();
    }

    String focused() {
        return String.valueOf(script("return document.activeElement && document.activeElement.id"));
    }

    /** Cuts this browser off the network (every request fails, as on a train in a tunnel), or reconnects it. */
    void offline(boolean offline) {
        ChromiumNetworkConditions conditions = new ChromiumNetworkConditions();
        conditions.setOffline(offline);
        driver.setNetworkConditions(conditions);
    }

    void type(String id, String text) {
        WebElement field = driver.findElement(By.id(id));
        field.clear();
        field.sendKeys(text);
    }

    @Override
    public void close() {
        driver.quit();
        profile.close();
    }
}
