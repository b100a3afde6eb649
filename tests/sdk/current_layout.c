/* The layout as today's headers (sdk/include) define it. */
#include "layout_list.h"
#include "layout_list_1_1.h"

#define LAYOUT(e) (e),
const size_t vigil_current_layout[] = {VIGIL_LAYOUT_ENTRIES};
const size_t vigil_current_layout_count = sizeof(vigil_current_layout) / sizeof(vigil_current_layout[0]);
const size_t vigil_current_1_1_layout[] = {VIGIL_LAYOUT_ENTRIES VIGIL_LAYOUT_1_1_ENTRIES};
const size_t vigil_current_1_1_layout_count = sizeof(vigil_current_1_1_layout) / sizeof(vigil_current_1_1_layout[0]);
