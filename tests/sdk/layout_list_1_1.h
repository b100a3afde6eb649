/* What ABI 1.1 added to the 1.0 layout (layout_list.h): the rule view's
 * group, the actions' close_other, the vtable's detach. Expanded like
 * layout_list.h, against the frozen 1.1 headers and today's. */
#include <stddef.h>

#include "vigil/vigil.h"

#define VIGIL_LAYOUT_1_1_ENTRIES                                                                     \
  LAYOUT(sizeof(vigil_position_view)) LAYOUT(offsetof(vigil_position_view, group))                   \
  LAYOUT(sizeof(vigil_rule_actions)) LAYOUT(offsetof(vigil_rule_actions, close_other))               \
  LAYOUT(sizeof(vigil_rule_vtable)) LAYOUT(offsetof(vigil_rule_vtable, detach))
