// Chinese names for the codes the API sends. Unknown codes show as they are, so a new state never breaks a page.
const states = {
  submitted: '待派单', dispatched: '已派单', open_for_claim: '待领单', in_progress: '办理中',
  resolved: '已办结', closed: '已关闭', cancelled: '已撤销', rejected: '已驳回', merged: '已合并', return_visit: '待回访',
};
const actions = {
  dispatch: '派单', publish: '发布领单', take: '自办', reject: '驳回', accept: '接单', return: '退回',
  recall: '撤回派单', claim: '领单', withdraw: '撤回领单', progress: '更新进度', resolve: '办结', evaluate: '评价',
  reopen: '重新打开', auto_close: '自动关闭', cancel: '撤销', note: '内部备注', urge: '催办', report: '点单', merge: '合并重复', return_visit: '回访',
};
const roles = {
  admin: '街道管理员', community_staff: '社区工作人员', grid_worker: '网格员', department_staff: '部门工作人员',
  party_member: '党员', resident: '居民', landlord: '房东',
};
const fields = {
  departmentId: '处理部门', dueAt: '办结时限', note: '说明', reason: '原因', result: '办理结果', text: '内容',
  satisfaction: '满意度（1–5）', comment: '评价', photoIds: '照片', intoTicketId: '合并到工单（编号 id）', satisfiedAfterVisit: '回访后居民满意',
};
const tenancyStates = { pending: '待确认', active: '在住', declined: '已拒绝', moved_out: '已搬离' };
const documentTypes = { mainland_id_card: '居民身份证', passport: '护照', hong_kong_macau_permit: '港澳通行证', taiwan_permit: '台湾通行证' };
const houseUses = { rental: '出租', own_use: '自住', vacant: '空置' };

const pick = table => code => table[code] ?? code ?? '';
export const stateLabel = pick(states);
export const actionLabel = pick(actions);
export const roleLabel = pick(roles);
export const fieldLabel = pick(fields);
export const tenancyLabel = pick(tenancyStates);
export const documentLabel = pick(documentTypes);
export const useLabel = pick(houseUses);
export const staffRoles = ['admin', 'community_staff', 'grid_worker', 'department_staff'];
export const invitableRoles = ['grid_worker', 'community_staff', 'department_staff', 'party_member', 'admin'];
