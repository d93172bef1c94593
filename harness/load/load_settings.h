// A run profile's load settings (harness/profile.h): what each load scenario sends and the
// bounds it is judged by. These are Decisions of vxpkit, documented in docs/load.md with the
// reasoning behind the numbers; the report prints the values used. Plain values.
#ifndef VXP_HARNESS_LOAD_LOAD_SETTINGS_H_
#define VXP_HARNESS_LOAD_LOAD_SETTINGS_H_

#include <chrono>
#include <vector>

#include "harness/load/schedule.h"

namespace vxp::load {

using std::chrono::milliseconds;

// What a load scenario sends (a profile setting).
struct Shape {
  std::vector<Phase> phases;
  milliseconds warmup{0};  // from the start: documents meant to go earlier are not measured
};

struct Thresholds {
  milliseconds p99_arrived{0};   // time to 01, from the intended send time
  milliseconds p99_answered{0};  // time to 02/03
  double max_error_rate = 0;     // refused SUT requests / SUT requests
  milliseconds max_lag{0};       // the generator's own p99 lateness before the run is void
};

struct Settings {
  int agencies = 10;    // mock agencies sending (each a distinct sender identifier)
  int connections = 8;  // the generator's concurrent connections to the hub
  Shape steady, burst, soak;
  Thresholds thresholds;
  // After the last send, how long the SUT may take to answer what is still open.
  milliseconds drain{0};
};

}  // namespace vxp::load

#endif  // VXP_HARNESS_LOAD_LOAD_SETTINGS_H_
