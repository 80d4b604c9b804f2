// The one reading of statistics that every kind of equipment shares.
#include "takt/models/equipment.hpp"

#include "takt/models/buffer.hpp"

namespace takt::models {

StationKpi Equipment::kpi(sim::Time now, const std::string& shop) const {
  StationKpi k;
  k.name = name();
  k.shop = shop;
  k.kind = kind();
  for (std::size_t s = 0; s < kStateCount; ++s)
    k.shares[s] = share(now, static_cast<StationState>(s));
  k.completed = completed();
  k.failures = failures();
  k.setups = setups();
  k.changeovers = changeovers();
  k.routes = route_counts();
  if (output() != nullptr) k.output = output()->name();
  return k;
}

}  // namespace takt::models
