/* The layout as the frozen ABI 1.0 headers (tests/sdk/abi-1.0) define it. */
#include "layout_list.h"

#define LAYOUT(e) (e),
const size_t vigil_frozen_layout[] = {VIGIL_LAYOUT_ENTRIES};
const size_t vigil_frozen_layout_count = sizeof(vigil_frozen_layout) / sizeof(vigil_frozen_layout[0]);
