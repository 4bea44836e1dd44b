package io.dbguard.operator;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.config.MeterFilter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Gives each JOSDK meter one set of tag keys, so that Micrometer's Prometheus registry keeps all of
 * its series.
 *
 * <p>The Prometheus registry refuses a meter whose tag keys differ from an earlier meter of the
 * same name (it logs one WARN, then DEBUG, and drops the meter). JOSDK 5.1's {@code
 * MicrometerMetrics} counts {@code operator.sdk.events.received} with the keys {@code event,
 * action, group, version, kind, scope} for events of the resource informer, but without {@code
 * action} for every other event (JOSDK's own reschedule timer, events of secondary sources such as
 * the Job informer): whichever came second was dropped. This filter adds each missing key with the
 * value {@value #ABSENT}; keys already present keep their value.
 */
final class SdkMeterTags implements MeterFilter {
  /** Value of a tag key the SDK left out. */
  static final String ABSENT = "none";

  /** Meter name → tag keys that meter must always carry. */
  private static final Map<String, List<String>> REQUIRED =
      Map.of("operator.sdk.events.received", List.of("action"));

  @Override
  public Meter.Id map(Meter.Id id) {
    List<String> required = REQUIRED.get(id.getName());
    if (required == null) {
      return id;
    }
    List<Tag> missing = new ArrayList<>();
    for (String key : required) {
      if (id.getTag(key) == null) {
        missing.add(Tag.of(key, ABSENT));
      }
    }
    return missing.isEmpty() ? id : id.withTags(missing);
  }
}
