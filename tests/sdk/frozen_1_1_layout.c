/* The layout as the frozen ABI 1.1 headers (tests/sdk/abi-1.1) define it. */
#include "layout_list.h"
#include "layout_list_1_1.h"

#define LAYOUT(e) (e),
const size_t vigil_frozen_1_1_layout[] = {VIGIL_LAYOUT_ENTRIES VIGIL_LAYOUT_1_1_ENTRIES};
const size_t vigil_frozen_1_1_layout_count = sizeof(vigil_frozen_1_1_layout) / sizeof(vigil_frozen_1_1_layout[0]);
/* Where a 1.1 plugin's view of the application table ends. */
const size_t vigil_frozen_1_1_app_size = sizeof(vigil_app);
