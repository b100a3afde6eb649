/* The layout as today's headers (sdk/include) define it. */
#include "layout_list.h"

#define LAYOUT(e) (e),
const size_t vigil_current_layout[] = {VIGIL_LAYOUT_ENTRIES};
const size_t vigil_current_layout_count = sizeof(vigil_current_layout) / sizeof(vigil_current_layout[0]);
