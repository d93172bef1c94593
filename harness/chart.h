// A chart a scenario attaches to its result (result.json "charts"; index.html draws it as SVG):
// plain numbers, no styling.
#ifndef VXP_HARNESS_CHART_H_
#define VXP_HARNESS_CHART_H_

#include <string>
#include <utility>
#include <vector>

namespace vxp::harness {

struct ChartSeries {
  std::string name;
  std::vector<std::pair<double, double>> points;  // (x, y)
};

struct Chart {
  std::string title, x_label, y_label;
  std::vector<ChartSeries> series;
};

}  // namespace vxp::harness

#endif  // VXP_HARNESS_CHART_H_
