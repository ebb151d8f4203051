package org.dialbalance.transport.tserver;

import java.util.List;

import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;

/**
 * What {@link TserverLink} logs while a test runs, at INFO and above (what operators see with {@code addp-trace} on);
 * {@link #close()} detaches it and restores the logger's level.
 */
final class LogCapture implements AutoCloseable {

    private final Logger logger = (Logger) LoggerFactory.getLogger(TserverLink.class);
    private final Level level = logger.getLevel();
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    LogCapture() {
        appender.start();
        logger.addAppender(appender);
        logger.setLevel(Level.INFO);
    }

    /** The formatted lines logged at {@code level}, in order. */
    List<String> lines(Level level) {
        return appender.list.stream().filter(event -> event.getLevel() == level).map(ILoggingEvent::getFormattedMessage).toList();
    }

    @Override
    public void close() {
        logger.detachAppender(appender);
        logger.setLevel(level);
        appender.stop();
    }
}
