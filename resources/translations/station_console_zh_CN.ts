<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
  <context>
    <name>AlarmBar</name>
    <message>
      <source>Acknowledge all</source>
      <translation>全部确认</translation>
    </message>
    <message>
      <source>camera without a site</source>
      <translation>未设点位的摄像机</translation>
    </message>
    <message>
      <source>{n} camera(s) covered or black</source>
      <translation>{n} 台摄像机被遮挡或黑屏</translation>
    </message>
    <message>
      <source>{n} camera(s) down</source>
      <translation>{n} 台摄像机掉线</translation>
    </message>
    <message>
      <source> (back now)</source>
      <translation>（已恢复）</translation>
    </message>
    <message>
      <source>…and {n} more alarms</source>
      <translation>……另有 {n} 条告警</translation>
    </message>
  </context>
  <context>
    <name>AuditView</name>
    <message>
      <source>e.g. camera. or login</source>
      <translation>例如 camera. 或 login</translation>
    </message>
    <message>
      <source>Target or detail contains…</source>
      <translation>对象或详情包含…</translation>
    </message>
    <message>
      <source>From</source>
      <translation>起始</translation>
    </message>
    <message>
      <source>To</source>
      <translation>截止</translation>
    </message>
    <message>
      <source>Search</source>
      <translation>查询</translation>
    </message>
    <message>
      <source>Actor:</source>
      <translation>操作人：</translation>
    </message>
    <message>
      <source>Action starts with:</source>
      <translation>操作类型开头为：</translation>
    </message>
    <message>
      <source>Text:</source>
      <translation>文本：</translation>
    </message>
    <message>
      <source>Verify chain</source>
      <translation>校验日志链</translation>
    </message>
    <message>
      <source>Export CSV…</source>
      <translation>导出 CSV…</translation>
    </message>
    <message>
      <source>Your role may not read the audit log.</source>
      <translation>您的角色无权查阅审计日志。</translation>
    </message>
    <message>
      <source>Showing the newest {n} entries; narrow the filters to see older ones.</source>
      <translation>显示最新的 {n} 条；缩小筛选范围可查看更早的记录。</translation>
    </message>
    <message>
      <source>{n} entries</source>
      <translation>{n} 条</translation>
    </message>
    <message>
      <source>Verifying…</source>
      <translation>正在校验…</translation>
    </message>
    <message>
      <source>a row is missing (deleted)</source>
      <translation>有记录缺失（被删除）</translation>
    </message>
    <message>
      <source>the chain is broken before this row</source>
      <translation>此条记录之前的链已断开</translation>
    </message>
    <message>
      <source>the row's content was changed</source>
      <translation>记录内容被改动</translation>
    </message>
    <message>
      <source>the anchor file is damaged or forged</source>
      <translation>锚定文件已损坏或被伪造</translation>
    </message>
    <message>
      <source>rows are missing at the end (deleted)</source>
      <translation>末尾记录缺失（被删除）</translation>
    </message>
    <message>
      <source>the last row was changed</source>
      <translation>最后一条记录被改动</translation>
    </message>
    <message>
      <source>Audit chain intact: {n} rows checked.</source>
      <translation>审计日志链完整：已校验 {n} 条。</translation>
    </message>
    <message>
      <source>TAMPERED: {reason}.</source>
      <translation>已被篡改：{reason}。</translation>
    </message>
    <message>
      <source>TAMPERED at row {seq}: {reason}.</source>
      <translation>第 {seq} 条被篡改：{reason}。</translation>
    </message>
    <message>
      <source>Export audit log</source>
      <translation>导出审计日志</translation>
    </message>
    <message>
      <source>CSV files (*.csv)</source>
      <translation>CSV 文件 (*.csv)</translation>
    </message>
    <message>
      <source>Exported {n} audit entries to {path}.</source>
      <translation>已导出 {n} 条审计记录到 {path}。</translation>
    </message>
    <message>
      <source>Audit log</source>
      <translation>审计日志</translation>
    </message>
  </context>
  <context>
    <name>CameraDialog</name>
    <message>
      <source>Edit camera</source>
      <translation>编辑摄像机</translation>
    </message>
    <message>
      <source>Add camera</source>
      <translation>添加摄像机</translation>
    </message>
    <message>
      <source>General</source>
      <translation>基本信息</translation>
    </message>
    <message>
      <source>Known</source>
      <translation>已知</translation>
    </message>
    <message>
      <source>Network and streams</source>
      <translation>网络与视频流</translation>
    </message>
    <message>
      <source>20 digits, e.g. 11010200001320000001</source>
      <translation>20 位数字，例如 11010200001320000001</translation>
    </message>
    <message>
      <source>Networked to the city platform</source>
      <translation>已接入市级平台</translation>
    </message>
    <message>
      <source>Access</source>
      <translation>访问凭据</translation>
    </message>
    <message>
      <source>Unchanged (a password is stored)</source>
      <translation>不修改（已保存密码）</translation>
    </message>
    <message>
      <source>Unchanged (no password stored)</source>
      <translation>不修改（未保存密码）</translation>
    </message>
  </context>
  <context>
    <name>CameraTree</name>
    <message>
      <source>Search cameras, sites, communities…</source>
      <translation>搜索摄像机、点位、社区…</translation>
    </message>
    <message>
      <source>Filter the tree as you type (Ctrl+F)</source>
      <translation>输入即筛选（Ctrl+F）</translation>
    </message>
    <message>
      <source>Camera search</source>
      <translation>摄像机搜索</translation>
    </message>
    <message>
      <source>Cameras</source>
      <translation>摄像机</translation>
    </message>
    <message>
      <source>Loading…</source>
      <translation>正在加载…</translation>
    </message>
    <message>
      <source>Cameras: {n}</source>
      <translation>摄像机：{n} 台</translation>
    </message>
    <message>
      <source>No camera matches the search.</source>
      <translation>没有符合搜索条件的摄像机。</translation>
    </message>
    <message>
      <source>No cameras yet. Add them in the Inventory tab or import a CSV file.</source>
      <translation>尚无摄像机。请在“设备台账”页添加，或导入 CSV 文件。</translation>
    </message>
  </context>
  <context>
    <name>CrashDialog</name>
    <message>
      <source>Station Console — unexpected error</source>
      <translation>派出所视频巡控台 — 意外错误</translation>
    </message>
    <message>
      <source>The console hit an unexpected error. Your data is safe: every change is saved when it is made. Please pass the report file to the technician.</source>
      <translation>巡控台发生意外错误。您的数据是安全的：每次修改都已即时保存。请将报告文件交给技术员。</translation>
    </message>
    <message>
      <source>Report saved to: {path}</source>
      <translation>报告已保存到：{path}</translation>
    </message>
    <message>
      <source>The report could not be saved; see the details below.</source>
      <translation>报告未能保存，请查看下方详情。</translation>
    </message>
    <message>
      <source>&amp;Continue</source>
      <translation>继续(&amp;C)</translation>
    </message>
    <message>
      <source>&amp;Quit the console</source>
      <translation>退出巡控台(&amp;Q)</translation>
    </message>
  </context>
  <context>
    <name>DeviceDialog</name>
    <message>
      <source>Add other device</source>
      <translation>添加其他设备</translation>
    </message>
  </context>
  <context>
    <name>DutyView</name>
    <message>
      <source>My shift</source>
      <translation>我的班次</translation>
    </message>
    <message>
      <source>&amp;Start shift</source>
      <translation>签到上班(&amp;S)</translation>
    </message>
    <message>
      <source>&amp;End shift and hand over…</source>
      <translation>下班并交接(&amp;E)…</translation>
    </message>
    <message>
      <source>Add to the shift log and press Enter</source>
      <translation>输入值班记录后按回车</translation>
    </message>
    <message>
      <source>Handed over by the last shift</source>
      <translation>上一班交接内容</translation>
    </message>
    <message>
      <source>Patrol coverage this shift</source>
      <translation>本班巡逻覆盖情况</translation>
    </message>
    <message>
      <source>Spot check</source>
      <translation>抽查</translation>
    </message>
    <message>
      <source>Remarks</source>
      <translation>备注</translation>
    </message>
    <message>
      <source>&amp;Record spot check</source>
      <translation>记录抽查(&amp;R)</translation>
    </message>
    <message>
      <source>On duty</source>
      <translation>在岗人员</translation>
    </message>
    <message>
      <source>On screen now</source>
      <translation>当前画面</translation>
    </message>
    <message>
      <source>Not on duty.</source>
      <translation>未在班。</translation>
    </message>
    <message>
      <source>On duty since {time}.</source>
      <translation>自 {time} 起在班。</translation>
    </message>
    <message>
      <source>No earlier shift.</source>
      <translation>没有上一班记录。</translation>
    </message>
    <message>
      <source>{name}, ended {time}: {note}</source>
      <translation>{name}，{time} 下班：{note}</translation>
    </message>
    <message>
      <source>(no note)</source>
      <translation>（无说明）</translation>
    </message>
    <message>
      <source>Spot check recorded.</source>
      <translation>抽查已记录。</translation>
    </message>
  </context>
  <context>
    <name>FaultDeskView</name>
    <message>
      <source>Open faults</source>
      <translation>未结故障</translation>
    </message>
    <message>
      <source>Overdue</source>
      <translation>超期</translation>
    </message>
    <message>
      <source>Recovered — awaiting verification</source>
      <translation>已恢复，待核实</translation>
    </message>
    <message>
      <source>All, including closed</source>
      <translation>全部（含已关闭）</translation>
    </message>
    <message>
      <source>All kinds</source>
      <translation>全部类型</translation>
    </message>
    <message>
      <source>All communities</source>
      <translation>全部社区</translation>
    </message>
    <message>
      <source>Search camera, site, owner…</source>
      <translation>搜索摄像机、点位、产权单位…</translation>
    </message>
    <message>
      <source>Log fault…</source>
      <translation>登记故障…</translation>
    </message>
    <message>
      <source>Inspection round…</source>
      <translation>设备巡检…</translation>
    </message>
    <message>
      <source>Export CSV…</source>
      <translation>导出 CSV…</translation>
    </message>
    <message>
      <source>Camera</source>
      <translation>摄像机</translation>
    </message>
    <message>
      <source>Site</source>
      <translation>点位</translation>
    </message>
    <message>
      <source>Owner unit</source>
      <translation>产权单位</translation>
    </message>
    <message>
      <source>Fault</source>
      <translation>故障</translation>
    </message>
    <message>
      <source>Severity</source>
      <translation>严重程度</translation>
    </message>
    <message>
      <source>Status</source>
      <translation>状态</translation>
    </message>
    <message>
      <source>Opened</source>
      <translation>发现时间</translation>
    </message>
    <message>
      <source>Due</source>
      <translation>限期</translation>
    </message>
    <message>
      <source>Seen</source>
      <translation>次数</translation>
    </message>
    <message>
      <source>Owner notified</source>
      <translation>已通知产权单位</translation>
    </message>
    <message>
      <source>Repair started</source>
      <translation>开始维修</translation>
    </message>
    <message>
      <source>Repair done</source>
      <translation>维修完成</translation>
    </message>
    <message>
      <source>Verify and close</source>
      <translation>核实并关闭</translation>
    </message>
    <message>
      <source>Not a fault…</source>
      <translation>非故障…</translation>
    </message>
    <message>
      <source>Add note…</source>
      <translation>添加备注…</translation>
    </message>
    <message>
      <source>{n} faults shown, {late} overdue.</source>
      <translation>显示 {n} 个故障，其中 {late} 个超期。</translation>
    </message>
    <message>
      <source>OVERDUE</source>
      <translation>已超期</translation>
    </message>
    <message>
      <source>Contact</source>
      <translation>联系人</translation>
    </message>
    <message>
      <source>Reported by</source>
      <translation>来源</translation>
    </message>
    <message>
      <source>seen {n} time(s)</source>
      <translation>出现 {n} 次</translation>
    </message>
    <message>
      <source>Description</source>
      <translation>描述</translation>
    </message>
    <message>
      <source>Measurements</source>
      <translation>测量值</translation>
    </message>
    <message>
      <source>History</source>
      <translation>处理记录</translation>
    </message>
    <message>
      <source>No picture</source>
      <translation>无图片</translation>
    </message>
    <message>
      <source>Note (who, what, when):</source>
      <translation>备注（谁、做了什么、何时）：</translation>
    </message>
    <message>
      <source>Why is this not a fault?</source>
      <translation>为什么这不是故障？</translation>
    </message>
    <message>
      <source>Add a note</source>
      <translation>添加备注</translation>
    </message>
    <message>
      <source>How was the owner unit told?</source>
      <translation>如何通知的产权单位？</translation>
    </message>
    <message>
      <source>What was repaired?</source>
      <translation>修复了什么？</translation>
    </message>
    <message>
      <source>Export the fault list</source>
      <translation>导出故障清单</translation>
    </message>
    <message>
      <source>CSV files (*.csv)</source>
      <translation>CSV 文件 (*.csv)</translation>
    </message>
    <message>
      <source>{n} faults exported to {path}.</source>
      <translation>已导出 {n} 个故障到 {path}。</translation>
    </message>
  </context>
  <context>
    <name>FirstRunDialog</name>
    <message>
      <source>Station Console — first start</source>
      <translation>派出所视频巡控台 — 首次启动</translation>
    </message>
    <message>
      <source>This station has no administrator yet. Create the administrator account now; the administrator then adds the other officers.</source>
      <translation>本所尚无管理员。请现在创建管理员账号，之后由管理员添加其他民警。</translation>
    </message>
    <message>
      <source>At least {n} characters</source>
      <translation>至少 {n} 个字符</translation>
    </message>
    <message>
      <source>&amp;User name:</source>
      <translation>用户名(&amp;U)：</translation>
    </message>
    <message>
      <source>&amp;Display name:</source>
      <translation>显示名称(&amp;D)：</translation>
    </message>
    <message>
      <source>&amp;Password:</source>
      <translation>密码(&amp;P)：</translation>
    </message>
    <message>
      <source>&amp;Repeat password:</source>
      <translation>确认密码(&amp;R)：</translation>
    </message>
    <message>
      <source>&amp;Create administrator</source>
      <translation>创建管理员(&amp;C)</translation>
    </message>
    <message>
      <source>Enter a user name.</source>
      <translation>请输入用户名。</translation>
    </message>
    <message>
      <source>The password must have at least {n} characters.</source>
      <translation>密码至少需要 {n} 个字符。</translation>
    </message>
    <message>
      <source>The two passwords differ.</source>
      <translation>两次输入的密码不一致。</translation>
    </message>
  </context>
  <context>
    <name>GuardCheckPrompt</name>
    <message>
      <source>Remarks (optional)</source>
      <translation>备注（可选）</translation>
    </message>
    <message>
      <source>&amp;Pass</source>
      <translation>合格(&amp;P)</translation>
    </message>
    <message>
      <source>&amp;Fail</source>
      <translation>不合格(&amp;F)</translation>
    </message>
    <message>
      <source>Check at tile {n}: {check}</source>
      <translation>第 {n} 画面检查：{check}</translation>
    </message>
  </context>
  <context>
    <name>HandoverDialog</name>
    <message>
      <source>Hand over the shift</source>
      <translation>交接班</translation>
    </message>
    <message>
      <source>What the next officer must know</source>
      <translation>下一班民警需要知道的情况</translation>
    </message>
    <message>
      <source>Handover note</source>
      <translation>交接说明</translation>
    </message>
    <message>
      <source>Open items carried over to the next shift</source>
      <translation>移交下一班的未结事项</translation>
    </message>
  </context>
  <context>
    <name>HealthDashboard</name>
    <message>
      <source>Whole station</source>
      <translation>全所</translation>
    </message>
    <message>
      <source>By community</source>
      <translation>按社区</translation>
    </message>
    <message>
      <source>By site</source>
      <translation>按点位</translation>
    </message>
    <message>
      <source>By owner unit</source>
      <translation>按产权单位</translation>
    </message>
    <message>
      <source>Last 24 hours</source>
      <translation>最近 24 小时</translation>
    </message>
    <message>
      <source>Last 7 days</source>
      <translation>最近 7 天</translation>
    </message>
    <message>
      <source>Refresh</source>
      <translation>刷新</translation>
    </message>
    <message>
      <source>Online rate (%)</source>
      <translation>在线率（%）</translation>
    </message>
    <message>
      <source>Open faults</source>
      <translation>未结故障</translation>
    </message>
    <message>
      <source>Export the chart…</source>
      <translation>导出图表…</translation>
    </message>
    <message>
      <source>Export the chart</source>
      <translation>导出图表</translation>
    </message>
    <message>
      <source>Owner unit</source>
      <translation>产权单位</translation>
    </message>
    <message>
      <source>Overdue</source>
      <translation>超期</translation>
    </message>
    <message>
      <source>Online rate</source>
      <translation>在线率</translation>
    </message>
    <message>
      <source>Open faults by kind</source>
      <translation>未结故障（按类型）</translation>
    </message>
    <message>
      <source>Open faults by owner unit</source>
      <translation>未结故障（按产权单位）</translation>
    </message>
    <message>
      <source>Never seen online</source>
      <translation>从未在线</translation>
    </message>
    <message>
      <source>{total} cameras: {online} online, {degraded} degraded, {offline} offline, {unknown} not checked yet.</source>
      <translation>共 {total} 台摄像机：{online} 台在线，{degraded} 台异常，{offline} 台离线，{unknown} 台尚未检测。</translation>
    </message>
    <message>
      <source>(no owner unit)</source>
      <translation>（无产权单位）</translation>
    </message>
    <message>
      <source>Mean time to repair (30 days): no fault closed yet.</source>
      <translation>平均修复时间（30 天）：尚无已关闭的故障。</translation>
    </message>
    <message>
      <source>Mean time to repair (30 days): {h:.1f} hours over {n} faults.</source>
      <translation>平均修复时间（30 天）：{h:.1f} 小时，共 {n} 个故障。</translation>
    </message>
    <message>
      <source>Every checked camera has been seen online.</source>
      <translation>所有已检测的摄像机都曾在线。</translation>
    </message>
  </context>
  <context>
    <name>ImportProblemsDialog</name>
    <message>
      <source>Import rejected</source>
      <translation>导入被拒绝</translation>
    </message>
    <message>
      <source>Correct these rows and import the file again:</source>
      <translation>请更正以下各行后重新导入文件：</translation>
    </message>
  </context>
  <context>
    <name>IncidentCapture</name>
    <message>
      <source>Incident {number} captured.</source>
      <translation>已登记警情 {number}。</translation>
    </message>
  </context>
  <context>
    <name>IncidentDesk</name>
    <message>
      <source>Incidents</source>
      <translation>警情</translation>
    </message>
    <message>
      <source>Bulletins and assistance requests</source>
      <translation>通报与协查</translation>
    </message>
    <message>
      <source>Statistics</source>
      <translation>统计</translation>
    </message>
    <message>
      <source>All sites</source>
      <translation>全部点位</translation>
    </message>
    <message>
      <source>All categories</source>
      <translation>全部类别</translation>
    </message>
    <message>
      <source>All states</source>
      <translation>全部状态</translation>
    </message>
    <message>
      <source>All outcomes</source>
      <translation>全部结果</translation>
    </message>
    <message>
      <source>Number, camera, site or note</source>
      <translation>编号、摄像机、点位或说明</translation>
    </message>
    <message>
      <source>From:</source>
      <translation>从：</translation>
    </message>
    <message>
      <source>to:</source>
      <translation>至：</translation>
    </message>
    <message>
      <source>Number</source>
      <translation>编号</translation>
    </message>
    <message>
      <source>Time</source>
      <translation>时间</translation>
    </message>
    <message>
      <source>Camera</source>
      <translation>摄像机</translation>
    </message>
    <message>
      <source>Site</source>
      <translation>点位</translation>
    </message>
    <message>
      <source>Category</source>
      <translation>类别</translation>
    </message>
    <message>
      <source>Priority</source>
      <translation>紧急程度</translation>
    </message>
    <message>
      <source>State</source>
      <translation>状态</translation>
    </message>
    <message>
      <source>Command centre</source>
      <translation>指挥中心</translation>
    </message>
    <message>
      <source>Outcome</source>
      <translation>处置结果</translation>
    </message>
    <message>
      <source>Report…</source>
      <translation>上报……</translation>
    </message>
    <message>
      <source>Units dispatched</source>
      <translation>已派警</translation>
    </message>
    <message>
      <source>Units on scene</source>
      <translation>已到场</translation>
    </message>
    <message>
      <source>Outcome…</source>
      <translation>处置结果……</translation>
    </message>
    <message>
      <source>Link…</source>
      <translation>关联……</translation>
    </message>
    <message>
      <source>Export evidence…</source>
      <translation>导出证据……</translation>
    </message>
    <message>
      <source>Report a sighting from the selected tile</source>
      <translation>用当前选中画面上报发现线索</translation>
    </message>
    <message>
      <source>Per day</source>
      <translation>按日</translation>
    </message>
    <message>
      <source>Per week</source>
      <translation>按周</translation>
    </message>
    <message>
      <source>Per month</source>
      <translation>按月</translation>
    </message>
    <message>
      <source>Period</source>
      <translation>周期</translation>
    </message>
    <message>
      <source>Reported</source>
      <translation>已上报</translation>
    </message>
    <message>
      <source>Video clues</source>
      <translation>视频线索</translation>
    </message>
    <message>
      <source>Cases solved (current)</source>
      <translation>破获现行案件</translation>
    </message>
    <message>
      <source>Cases solved (backlog)</source>
      <translation>破获积案</translation>
    </message>
    <message>
      <source>Suspects caught</source>
      <translation>抓获嫌疑人</translation>
    </message>
    <message>
      <source>Late responses</source>
      <translation>响应超时</translation>
    </message>
    <message>
      <source>Statistics for the dates chosen on the list:</source>
      <translation>按列表所选日期统计：</translation>
    </message>
    <message>
      <source>{n} incident changes waiting for the command centre</source>
      <translation>{n} 条警情变更等待发往指挥中心</translation>
    </message>
    <message>
      <source>late</source>
      <translation>超时</translation>
    </message>
    <message>
      <source>Time of the key press</source>
      <translation>发现时间（按键时刻）</translation>
    </message>
    <message>
      <source>Officer</source>
      <translation>民警</translation>
    </message>
    <message>
      <source>Note</source>
      <translation>说明</translation>
    </message>
    <message>
      <source>Outcome details</source>
      <translation>结果说明</translation>
    </message>
    <message>
      <source>Response times (from the report)</source>
      <translation>响应时间（自上报起）</translation>
    </message>
    <message>
      <source>Dispatched</source>
      <translation>调度</translation>
    </message>
    <message>
      <source>On scene</source>
      <translation>到场</translation>
    </message>
    <message>
      <source>Closed</source>
      <translation>办结</translation>
    </message>
    <message>
      <source>not recorded</source>
      <translation>未记录</translation>
    </message>
    <message>
      <source>{s} s (target {m} min)</source>
      <translation>{s} 秒（目标 {m} 分钟）</translation>
    </message>
    <message>
      <source>waiting {s} s (target {m} min)</source>
      <translation>已等待 {s} 秒（目标 {m} 分钟）</translation>
    </message>
    <message>
      <source>Not captured</source>
      <translation>未采集到</translation>
    </message>
    <message>
      <source>Linked incidents</source>
      <translation>关联警情</translation>
    </message>
    <message>
      <source>Instructions from the command centre</source>
      <translation>指挥中心指令</translation>
    </message>
    <message>
      <source>acknowledged by {who}</source>
      <translation>{who} 已签收</translation>
    </message>
    <message>
      <source>not acknowledged</source>
      <translation>未签收</translation>
    </message>
    <message>
      <source>Clip {file}: {s} s, from {start} to {end}</source>
      <translation>录像 {file}：{s} 秒，{start} 至 {end}</translation>
    </message>
    <message>
      <source>shorter than asked ({s} s)</source>
      <translation>短于要求的 {s} 秒</translation>
    </message>
    <message>
      <source>Snapshot {file}</source>
      <translation>截图 {file}</translation>
    </message>
    <message>
      <source>Link incidents</source>
      <translation>关联警情</translation>
    </message>
    <message>
      <source>Same suspect or event as:</source>
      <translation>与以下警情为同一嫌疑人或事件：</translation>
    </message>
    <message>
      <source>Zip file (*.zip)</source>
      <translation>Zip 文件 (*.zip)</translation>
    </message>
    <message>
      <source>Export evidence</source>
      <translation>导出证据</translation>
    </message>
    <message>
      <source>Folder (*)</source>
      <translation>文件夹 (*)</translation>
    </message>
    <message>
      <source>Evidence exported to {path}: {n} files, manifest SHA-256 {digest}.</source>
      <translation>证据已导出到 {path}：{n} 个文件，清单 SHA-256 {digest}。</translation>
    </message>
    <message>
      <source>{n} sightings</source>
      <translation>{n} 条发现线索</translation>
    </message>
    <message>
      <source>Loading photo…</source>
      <translation>正在加载照片……</translation>
    </message>
    <message>
      <source>The photo cannot be shown.</source>
      <translation>照片无法显示。</translation>
    </message>
    <message>
      <source>Total</source>
      <translation>合计</translation>
    </message>
  </context>
  <context>
    <name>IncidentForm</name>
    <message>
      <source>Incident {number}</source>
      <translation>警情 {number}</translation>
    </message>
    <message>
      <source>What was seen: person, vehicle, direction…</source>
      <translation>看到了什么：人员、车辆、去向……</translation>
    </message>
    <message>
      <source>(none)</source>
      <translation>（无）</translation>
    </message>
    <message>
      <source>Category:</source>
      <translation>类别：</translation>
    </message>
    <message>
      <source>Priority:</source>
      <translation>紧急程度：</translation>
    </message>
    <message>
      <source>Note:</source>
      <translation>说明：</translation>
    </message>
    <message>
      <source>Sighting for bulletin:</source>
      <translation>关联协查通报：</translation>
    </message>
    <message>
      <source>Report to command centre</source>
      <translation>上报指挥中心</translation>
    </message>
    <message>
      <source>Keep without reporting</source>
      <translation>保存，暂不上报</translation>
    </message>
    <message>
      <source>Camera: {camera}</source>
      <translation>摄像机：{camera}</translation>
    </message>
    <message>
      <source>Site: {site}</source>
      <translation>点位：{site}</translation>
    </message>
    <message>
      <source>Time: {time}</source>
      <translation>时间：{time}</translation>
    </message>
    <message>
      <source>Officer: {officer}</source>
      <translation>民警：{officer}</translation>
    </message>
    <message>
      <source>Report: {status}</source>
      <translation>上报：{status}</translation>
    </message>
    <message>
      <source>Clip pending: it is saved in {n} s (video after the key press).</source>
      <translation>录像待保存：{n} 秒后保存（含按键后的视频）。</translation>
    </message>
    <message>
      <source>Clip saved.</source>
      <translation>录像已保存。</translation>
    </message>
    <message>
      <source>No clip.</source>
      <translation>无录像。</translation>
    </message>
    <message>
      <source>No snapshot.</source>
      <translation>无截图。</translation>
    </message>
  </context>
  <context>
    <name>InspectionDialog</name>
    <message>
      <source>Inspection round</source>
      <translation>巡检</translation>
    </message>
    <message>
      <source>Start round</source>
      <translation>开始巡检</translation>
    </message>
    <message>
      <source>Community</source>
      <translation>社区</translation>
    </message>
    <message>
      <source>Camera</source>
      <translation>摄像机</translation>
    </message>
    <message>
      <source>Site</source>
      <translation>点位</translation>
    </message>
    <message>
      <source>Result</source>
      <translation>结果</translation>
    </message>
    <message>
      <source>Remarks</source>
      <translation>备注</translation>
    </message>
    <message>
      <source>Photo…</source>
      <translation>照片…</translation>
    </message>
    <message>
      <source>Pass</source>
      <translation>正常</translation>
    </message>
    <message>
      <source>Fail → fault</source>
      <translation>异常 → 故障</translation>
    </message>
    <message>
      <source>Photo</source>
      <translation>照片</translation>
    </message>
    <message>
      <source>JPEG pictures (*.jpg *.jpeg)</source>
      <translation>JPEG 图片 (*.jpg *.jpeg)</translation>
    </message>
    <message>
      <source>to check</source>
      <translation>待检</translation>
    </message>
    <message>
      <source>pass</source>
      <translation>正常</translation>
    </message>
    <message>
      <source>fail</source>
      <translation>异常</translation>
    </message>
    <message>
      <source>{done} of {n} cameras checked, {failed} failed.</source>
      <translation>已检 {done}/{n} 台，{failed} 台异常。</translation>
    </message>
  </context>
  <context>
    <name>InstructionAlert</name>
    <message>
      <source>Instruction from the command centre</source>
      <translation>指挥中心指令</translation>
    </message>
    <message>
      <source>Issued by {who} at {when}</source>
      <translation>{who} 于 {when} 下达</translation>
    </message>
    <message>
      <source>Acknowledge</source>
      <translation>签收</translation>
    </message>
  </context>
  <context>
    <name>InventoryView</name>
    <message>
      <source>Search name, site, community, serial, GB ID…</source>
      <translation>搜索名称、点位、社区、序列号、国标编码…</translation>
    </message>
    <message>
      <source>Add…</source>
      <translation>添加…</translation>
    </message>
    <message>
      <source>Edit…</source>
      <translation>编辑…</translation>
    </message>
    <message>
      <source>Retire…</source>
      <translation>停用…</translation>
    </message>
    <message>
      <source>Import CSV…</source>
      <translation>导入 CSV…</translation>
    </message>
    <message>
      <source>Export CSV…</source>
      <translation>导出 CSV…</translation>
    </message>
    <message>
      <source>Refresh</source>
      <translation>刷新</translation>
    </message>
    <message>
      <source>Cameras</source>
      <translation>摄像机</translation>
    </message>
    <message>
      <source>Sites</source>
      <translation>点位</translation>
    </message>
    <message>
      <source>Owner units</source>
      <translation>产权单位</translation>
    </message>
    <message>
      <source>Other devices</source>
      <translation>其他设备</translation>
    </message>
    <message>
      <source>{cameras} cameras, {sites} sites, {owners} owner units, {devices} devices</source>
      <translation>摄像机 {cameras} 台，点位 {sites} 个，产权单位 {owners} 家，其他设备 {devices} 台</translation>
    </message>
    <message>
      <source>Import CSV</source>
      <translation>导入 CSV</translation>
    </message>
    <message>
      <source>CSV files (*.csv);;All files (*)</source>
      <translation>CSV 文件 (*.csv);;所有文件 (*)</translation>
    </message>
    <message>
      <source>Export CSV</source>
      <translation>导出 CSV</translation>
    </message>
    <message>
      <source>CSV files (*.csv)</source>
      <translation>CSV 文件 (*.csv)</translation>
    </message>
    <message>
      <source>Checking and importing rows…</source>
      <translation>正在校验并导入…</translation>
    </message>
    <message>
      <source>Imported {rows} rows from {file}: {added} added, {updated} updated.</source>
      <translation>已从 {file} 导入 {rows} 行：新增 {added} 条，更新 {updated} 条。</translation>
    </message>
    <message>
      <source>Exported {n} rows to {path}.</source>
      <translation>已导出 {n} 行到 {path}。</translation>
    </message>
    <message>
      <source>Inventory</source>
      <translation>设备台账</translation>
    </message>
  </context>
  <context>
    <name>LockScreen</name>
    <message>
      <source>Password</source>
      <translation>密码</translation>
    </message>
    <message>
      <source>&amp;Unlock</source>
      <translation>解锁(&amp;U)</translation>
    </message>
    <message>
      <source>Sign in as &amp;another officer</source>
      <translation>换其他民警登录(&amp;A)</translation>
    </message>
    <message>
      <source>Console locked. {name}, enter your password.</source>
      <translation>巡控台已锁定。{name}，请输入您的密码。</translation>
    </message>
    <message>
      <source>Wrong password.</source>
      <translation>密码错误。</translation>
    </message>
  </context>
  <context>
    <name>LogFaultDialog</name>
    <message>
      <source>Log a camera fault</source>
      <translation>登记摄像机故障</translation>
    </message>
    <message>
      <source>Choose photo…</source>
      <translation>选择照片…</translation>
    </message>
    <message>
      <source>Camera</source>
      <translation>摄像机</translation>
    </message>
    <message>
      <source>Fault</source>
      <translation>故障</translation>
    </message>
    <message>
      <source>Description</source>
      <translation>描述</translation>
    </message>
    <message>
      <source>Photo (JPEG)</source>
      <translation>照片（JPEG）</translation>
    </message>
    <message>
      <source>Photo of the fault</source>
      <translation>故障照片</translation>
    </message>
    <message>
      <source>JPEG pictures (*.jpg *.jpeg)</source>
      <translation>JPEG 图片 (*.jpg *.jpeg)</translation>
    </message>
  </context>
  <context>
    <name>LogView</name>
    <message>
      <source>Console log</source>
      <translation>运行日志</translation>
    </message>
    <message>
      <source>&amp;Close</source>
      <translation>关闭(&amp;C)</translation>
    </message>
    <message>
      <source>{n} lines</source>
      <translation>{n} 行</translation>
    </message>
  </context>
  <context>
    <name>LoginDialog</name>
    <message>
      <source>Station Console — sign in</source>
      <translation>派出所视频巡控台 — 登录</translation>
    </message>
    <message>
      <source>&amp;User name:</source>
      <translation>用户名(&amp;U)：</translation>
    </message>
    <message>
      <source>&amp;Password:</source>
      <translation>密码(&amp;P)：</translation>
    </message>
    <message>
      <source>&amp;Language:</source>
      <translation>语言(&amp;L)：</translation>
    </message>
    <message>
      <source>&amp;Sign in</source>
      <translation>登录(&amp;S)</translation>
    </message>
    <message>
      <source>Enter your user name.</source>
      <translation>请输入您的用户名。</translation>
    </message>
  </context>
  <context>
    <name>MainWindow</name>
    <message>
      <source>Station Console</source>
      <translation>派出所视频巡控台</translation>
    </message>
    <message>
      <source>Cameras</source>
      <translation>摄像机</translation>
    </message>
    <message>
      <source>&amp;Wall</source>
      <translation>电视墙(&amp;W)</translation>
    </message>
    <message>
      <source>&amp;Overview</source>
      <translation>概况(&amp;O)</translation>
    </message>
    <message>
      <source>&amp;File</source>
      <translation>文件(&amp;F)</translation>
    </message>
    <message>
      <source>&amp;Back up now…</source>
      <translation>立即备份(&amp;B)…</translation>
    </message>
    <message>
      <source>S&amp;ync with the hub now</source>
      <translation>立即与分局同步(&amp;Y)</translation>
    </message>
    <message>
      <source>&amp;Lock console</source>
      <translation>锁定巡控台(&amp;L)</translation>
    </message>
    <message>
      <source>&amp;Sign out</source>
      <translation>退出登录(&amp;S)</translation>
    </message>
    <message>
      <source>&amp;Quit</source>
      <translation>退出程序(&amp;Q)</translation>
    </message>
    <message>
      <source>&amp;View</source>
      <translation>视图(&amp;V)</translation>
    </message>
    <message>
      <source>&amp;Find camera</source>
      <translation>查找摄像机(&amp;F)</translation>
    </message>
    <message>
      <source>Camera &amp;tree</source>
      <translation>摄像机目录(&amp;T)</translation>
    </message>
    <message>
      <source>Console &amp;log</source>
      <translation>运行日志(&amp;L)</translation>
    </message>
    <message>
      <source>&amp;Full screen</source>
      <translation>全屏(&amp;F)</translation>
    </message>
    <message>
      <source>S&amp;ync log</source>
      <translation>同步日志(&amp;Y)</translation>
    </message>
    <message>
      <source>&amp;Tools</source>
      <translation>工具(&amp;T)</translation>
    </message>
    <message>
      <source>&amp;Settings…</source>
      <translation>设置(&amp;S)…</translation>
    </message>
    <message>
      <source>&amp;Provision cameras…</source>
      <translation>接入摄像机(&amp;P)…</translation>
    </message>
    <message>
      <source>&amp;Help</source>
      <translation>帮助(&amp;H)</translation>
    </message>
    <message>
      <source>&amp;About</source>
      <translation>关于(&amp;A)</translation>
    </message>
    <message>
      <source>last sync {when}, {n} changes waiting</source>
      <translation>上次同步 {when}，待上传 {n} 条</translation>
    </message>
    <message>
      <source>About Station Console</source>
      <translation>关于派出所视频巡控台</translation>
    </message>
    <message>
      <source>Station Console {version}
Video patrol console for police-station monitoring rooms.
Data directory: {path}</source>
      <translation>派出所视频巡控台 {version}
面向派出所监控室的视频巡控软件。
数据目录：{path}</translation>
    </message>
    <message>
      <source>Back up the station database</source>
      <translation>备份本所数据库</translation>
    </message>
    <message>
      <source>Station database (*.sqlite3)</source>
      <translation>本所数据库 (*.sqlite3)</translation>
    </message>
    <message>
      <source>Backing up…</source>
      <translation>正在备份…</translation>
    </message>
    <message>
      <source>Backup written to {path}</source>
      <translation>备份已写入 {path}</translation>
    </message>
    <message>
      <source>Backup failed</source>
      <translation>备份失败</translation>
    </message>
  </context>
  <context>
    <name>OutcomeDialog</name>
    <message>
      <source>Outcome of incident {number}</source>
      <translation>警情 {number} 的处置结果</translation>
    </message>
    <message>
      <source>Outcome:</source>
      <translation>处置结果：</translation>
    </message>
    <message>
      <source>Suspects caught:</source>
      <translation>抓获嫌疑人：</translation>
    </message>
    <message>
      <source>Details:</source>
      <translation>详细情况：</translation>
    </message>
  </context>
  <context>
    <name>OwnerDialog</name>
    <message>
      <source>Edit owner unit</source>
      <translation>编辑产权单位</translation>
    </message>
    <message>
      <source>Add owner unit</source>
      <translation>添加产权单位</translation>
    </message>
  </context>
  <context>
    <name>PatrolView</name>
    <message>
      <source>&amp;New plan</source>
      <translation>新建方案(&amp;N)</translation>
    </message>
    <message>
      <source>&amp;Delete plan</source>
      <translation>删除方案(&amp;D)</translation>
    </message>
    <message>
      <source>Patrol plans</source>
      <translation>巡逻方案</translation>
    </message>
    <message>
      <source>{n} tiles</source>
      <translation>{n} 画面</translation>
    </message>
    <message>
      <source> s</source>
      <translation> 秒</translation>
    </message>
    <message>
      <source>Start by itself when its time comes</source>
      <translation>到时自动开始</translation>
    </message>
    <message>
      <source>Include today's temporary watches</source>
      <translation>包含当日的临时预约看护</translation>
    </message>
    <message>
      <source>From</source>
      <translation>开始</translation>
    </message>
    <message>
      <source>To</source>
      <translation>结束</translation>
    </message>
    <message>
      <source>Weekdays</source>
      <translation>星期</translation>
    </message>
    <message>
      <source>First day</source>
      <translation>开始日期</translation>
    </message>
    <message>
      <source>Last day</source>
      <translation>结束日期</translation>
    </message>
    <message>
      <source>Add time window</source>
      <translation>添加时间段</translation>
    </message>
    <message>
      <source>Remove time window</source>
      <translation>删除时间段</translation>
    </message>
    <message>
      <source>Add site</source>
      <translation>添加点位</translation>
    </message>
    <message>
      <source>Suggest from incidents</source>
      <translation>按警情推荐</translation>
    </message>
    <message>
      <source>Remove step</source>
      <translation>删除步骤</translation>
    </message>
    <message>
      <source>&amp;Save plan</source>
      <translation>保存方案(&amp;S)</translation>
    </message>
    <message>
      <source>Name</source>
      <translation>名称</translation>
    </message>
    <message>
      <source>Layout</source>
      <translation>布局</translation>
    </message>
    <message>
      <source>Dwell per camera</source>
      <translation>每台停留</translation>
    </message>
    <message>
      <source>When (a window ending before it starts runs past midnight)</source>
      <translation>时间（结束早于开始的时间段跨越午夜）</translation>
    </message>
    <message>
      <source>Steps (drag cameras or sites here from the tree)</source>
      <translation>步骤（从摄像机树拖入摄像机或点位）</translation>
    </message>
    <message>
      <source>One cycle as it would run now</source>
      <translation>按当前时间的一轮巡逻</translation>
    </message>
    <message>
      <source>Watch</source>
      <translation>预约看护</translation>
    </message>
    <message>
      <source>Address</source>
      <translation>地址</translation>
    </message>
    <message>
      <source>Dates</source>
      <translation>日期</translation>
    </message>
    <message>
      <source>Cameras</source>
      <translation>摄像机</translation>
    </message>
    <message>
      <source>&amp;Register watch…</source>
      <translation>登记预约看护(&amp;R)…</translation>
    </message>
    <message>
      <source>&amp;Cancel watch</source>
      <translation>取消预约看护(&amp;C)</translation>
    </message>
    <message>
      <source>Plans</source>
      <translation>方案</translation>
    </message>
    <message>
      <source>Temporary watches</source>
      <translation>临时预约看护</translation>
    </message>
    <message>
      <source>Plan {name} saved.</source>
      <translation>方案 {name} 已保存。</translation>
    </message>
    <message>
      <source> (watch)</source>
      <translation>（预约看护）</translation>
    </message>
    <message>
      <source> (running)</source>
      <translation>（进行中）</translation>
    </message>
  </context>
  <context>
    <name>ProvisioningWizard</name>
    <message>
      <source>Camera provisioning</source>
      <translation>摄像机接入</translation>
    </message>
    <message>
      <source>Address</source>
      <translation>地址</translation>
    </message>
    <message>
      <source>Found as</source>
      <translation>发现方式</translation>
    </message>
    <message>
      <source>Model</source>
      <translation>型号</translation>
    </message>
    <message>
      <source>Serial</source>
      <translation>序列号</translation>
    </message>
    <message>
      <source>State</source>
      <translation>状态</translation>
    </message>
    <message>
      <source>Name</source>
      <translation>名称</translation>
    </message>
    <message>
      <source>GB/T 28181 ID</source>
      <translation>GB/T 28181 编码</translation>
    </message>
    <message>
      <source>Kind</source>
      <translation>类型</translation>
    </message>
    <message>
      <source>Result</source>
      <translation>结果</translation>
    </message>
    <message>
      <source>1. Find cameras</source>
      <translation>1. 查找摄像机</translation>
    </message>
    <message>
      <source> s</source>
      <translation> 秒</translation>
    </message>
    <message>
      <source>&amp;Search this network</source>
      <translation>搜索本网段(&amp;S)</translation>
    </message>
    <message>
      <source>Listen for</source>
      <translation>监听时长</translation>
    </message>
    <message>
      <source>e.g. 10.1.2.0/24</source>
      <translation>例如 10.1.2.0/24</translation>
    </message>
    <message>
      <source>Probe &amp;range</source>
      <translation>探测地址段(&amp;R)</translation>
    </message>
    <message>
      <source>Other subnet</source>
      <translation>其他网段</translation>
    </message>
    <message>
      <source>One address per line: host or host:port</source>
      <translation>每行一个地址：主机 或 主机:端口</translation>
    </message>
    <message>
      <source>&amp;Add addresses</source>
      <translation>添加地址(&amp;A)</translation>
    </message>
    <message>
      <source>2. Credentials for the selected cameras</source>
      <translation>2. 所选摄像机的登录凭据</translation>
    </message>
    <message>
      <source>&amp;Read details</source>
      <translation>读取设备信息(&amp;R)</translation>
    </message>
    <message>
      <source>User name</source>
      <translation>用户名</translation>
    </message>
    <message>
      <source>Password</source>
      <translation>密码</translation>
    </message>
    <message>
      <source>3. Place the selected cameras</source>
      <translation>3. 为所选摄像机指定点位</translation>
    </message>
    <message>
      <source>As detected (dome when PTZ)</source>
      <translation>按检测结果（带云台即为球机）</translation>
    </message>
    <message>
      <source>A&amp;pply to selected</source>
      <translation>应用到所选(&amp;P)</translation>
    </message>
    <message>
      <source>Site</source>
      <translation>点位</translation>
    </message>
    <message>
      <source>Owner unit</source>
      <translation>产权单位</translation>
    </message>
    <message>
      <source>4. Save</source>
      <translation>4. 保存</translation>
    </message>
    <message>
      <source>Set each camera's clock from this station</source>
      <translation>用本机时间校准每台摄像机的时钟</translation>
    </message>
    <message>
      <source>Set each camera's host name to its name</source>
      <translation>将每台摄像机的主机名设为其名称</translation>
    </message>
    <message>
      <source>&amp;Save selected cameras</source>
      <translation>保存所选摄像机(&amp;S)</translation>
    </message>
    <message>
      <source>Snapshot preview</source>
      <translation>抓图预览</translation>
    </message>
    <message>
      <source>Close</source>
      <translation>关闭</translation>
    </message>
    <message>
      <source>(keep / none)</source>
      <translation>（保持不变 / 无）</translation>
    </message>
    <message>
      <source>Not read yet</source>
      <translation>尚未读取</translation>
    </message>
    <message>
      <source>Saved</source>
      <translation>已保存</translation>
    </message>
    <message>
      <source>{n} cameras listed.</source>
      <translation>已列出 {n} 台摄像机。</translation>
    </message>
    <message>
      <source>{found} cameras answered, {added} new in the list.</source>
      <translation>{found} 台摄像机有响应，新加入列表 {added} 台。</translation>
    </message>
    <message>
      <source>Searching the network…</source>
      <translation>正在搜索网络…</translation>
    </message>
    <message>
      <source>Probing {range}…</source>
      <translation>正在探测 {range}…</translation>
    </message>
    <message>
      <source>typed in</source>
      <translation>手工输入</translation>
    </message>
    <message>
      <source>Reading {n} cameras…</source>
      <translation>正在读取 {n} 台摄像机…</translation>
    </message>
    <message>
      <source>{ok} of {n} cameras read.</source>
      <translation>已读取 {ok}/{n} 台摄像机。</translation>
    </message>
    <message>
      <source>Read the cameras' details first.</source>
      <translation>请先读取摄像机信息。</translation>
    </message>
    <message>
      <source>Saving {n} cameras…</source>
      <translation>正在保存 {n} 台摄像机…</translation>
    </message>
    <message>
      <source>{ok} of {n} cameras saved.</source>
      <translation>已保存 {ok}/{n} 台摄像机。</translation>
    </message>
  </context>
  <context>
    <name>PtzPad</name>
    <message>
      <source>Move {direction}</source>
      <translation>向 {direction} 转动</translation>
    </message>
    <message>
      <source>Zoom +</source>
      <translation>变倍 +</translation>
    </message>
    <message>
      <source>Zoom −</source>
      <translation>变倍 −</translation>
    </message>
    <message>
      <source>PTZ speed</source>
      <translation>云台速度</translation>
    </message>
    <message>
      <source>Presets</source>
      <translation>预置位</translation>
    </message>
    <message>
      <source>&amp;Go to preset</source>
      <translation>转到预置位(&amp;G)</translation>
    </message>
    <message>
      <source>Save &amp;preset…</source>
      <translation>保存预置位(&amp;P)…</translation>
    </message>
    <message>
      <source>&amp;Rename preset…</source>
      <translation>重命名预置位(&amp;R)…</translation>
    </message>
    <message>
      <source>Speed</source>
      <translation>速度</translation>
    </message>
    <message>
      <source>Select a tile showing a dome camera.</source>
      <translation>请选择显示球机的窗格。</translation>
    </message>
    <message>
      <source>{name} has no PTZ.</source>
      <translation>{name} 不支持云台控制。</translation>
    </message>
    <message>
      <source>PTZ: {name}</source>
      <translation>云台：{name}</translation>
    </message>
    <message>
      <source>Save preset</source>
      <translation>保存预置位</translation>
    </message>
    <message>
      <source>Preset name:</source>
      <translation>预置位名称：</translation>
    </message>
    <message>
      <source>Rename preset</source>
      <translation>重命名预置位</translation>
    </message>
    <message>
      <source>New name:</source>
      <translation>新名称：</translation>
    </message>
  </context>
  <context>
    <name>RetireDialog</name>
    <message>
      <source>Retire</source>
      <translation>停用</translation>
    </message>
    <message>
      <source>Retire {what}? It leaves the active inventory; its history and audit records are kept.</source>
      <translation>停用 {what}？它将移出在用台账，历史和审计记录仍保留。</translation>
    </message>
    <message>
      <source>Reason, e.g. dismantled, replaced, moved</source>
      <translation>原因，例如拆除、更换、迁移</translation>
    </message>
    <message>
      <source>Reason:</source>
      <translation>原因：</translation>
    </message>
  </context>
  <context>
    <name>SettingsDialog</name>
    <message>
      <source>Station settings</source>
      <translation>本所设置</translation>
    </message>
    <message>
      <source>A change of language takes effect when the console restarts.</source>
      <translation>更改语言后需重启巡控台才能生效。</translation>
    </message>
    <message>
      <source>Only an administrator may change settings; you can read them here.</source>
      <translation>只有管理员可以修改设置；您可以在此查看。</translation>
    </message>
  </context>
  <context>
    <name>SiteDialog</name>
    <message>
      <source>Edit site</source>
      <translation>编辑点位</translation>
    </message>
    <message>
      <source>Add site</source>
      <translation>添加点位</translation>
    </message>
  </context>
  <context>
    <name>StationOverview</name>
    <message>
      <source>Station overview: {name}</source>
      <translation>本所概况：{name}</translation>
    </message>
    <message>
      <source>Station overview</source>
      <translation>本所概况</translation>
    </message>
    <message>
      <source>Camera estate</source>
      <translation>监控设备</translation>
    </message>
    <message>
      <source>Cameras:</source>
      <translation>摄像机：</translation>
    </message>
    <message>
      <source>Sites:</source>
      <translation>点位：</translation>
    </message>
    <message>
      <source>Owner units:</source>
      <translation>产权单位：</translation>
    </message>
    <message>
      <source>Other devices (alarms, poles):</source>
      <translation>其他设备（报警器、报警杆）：</translation>
    </message>
    <message>
      <source>Records</source>
      <translation>数据与记录</translation>
    </message>
    <message>
      <source>Last backup:</source>
      <translation>最近备份：</translation>
    </message>
    <message>
      <source>Audit log:</source>
      <translation>审计日志：</translation>
    </message>
    <message>
      <source>&amp;Refresh</source>
      <translation>刷新(&amp;R)</translation>
    </message>
    <message>
      <source>Checking…</source>
      <translation>正在校验…</translation>
    </message>
    <message>
      <source>never</source>
      <translation>从未备份</translation>
    </message>
    <message>
      <source>less than an hour ago</source>
      <translation>不到一小时前</translation>
    </message>
    <message>
      <source>{n} hours ago</source>
      <translation>{n} 小时前</translation>
    </message>
    <message>
      <source>{n} days ago</source>
      <translation>{n} 天前</translation>
    </message>
    <message>
      <source>intact ({n} entries checked)</source>
      <translation>完整（已校验 {n} 条）</translation>
    </message>
    <message>
      <source>DAMAGED at entry {seq}: {reason}. Tell the administrator.</source>
      <translation>第 {seq} 条已被破坏：{reason}。请报告管理员。</translation>
    </message>
  </context>
  <context>
    <name>StationStatusBar</name>
    <message>
      <source>Not signed in</source>
      <translation>未登录</translation>
    </message>
    <message>
      <source>On duty: {name} ({role})</source>
      <translation>值班：{name}（{role}）</translation>
    </message>
    <message>
      <source>Hub: none configured (working alone)</source>
      <translation>指挥中心：未配置（单机工作）</translation>
    </message>
    <message>
      <source>Hub: not connected yet</source>
      <translation>指挥中心：尚未连接</translation>
    </message>
    <message>
      <source>Hub: connected</source>
      <translation>指挥中心：已连接</translation>
    </message>
    <message>
      <source>Hub: offline, changes are queued</source>
      <translation>指挥中心：离线，变更已排队待发</translation>
    </message>
    <message>
      <source>Hub: error</source>
      <translation>指挥中心：连接出错</translation>
    </message>
  </context>
  <context>
    <name>StepTable</name>
    <message>
      <source>Camera or site</source>
      <translation>摄像机或点位</translation>
    </message>
    <message>
      <source>Priority</source>
      <translation>优先级</translation>
    </message>
    <message>
      <source>Dwell (s)</source>
      <translation>停留（秒）</translation>
    </message>
    <message>
      <source>Check</source>
      <translation>检查项</translation>
    </message>
  </context>
  <context>
    <name>SyncLogDialog</name>
    <message>
      <source>Sync log</source>
      <translation>同步日志</translation>
    </message>
    <message>
      <source>{when}  link {link}  pushed {pushed}  pulled {pulled}  waiting {backlog}</source>
      <translation>{when}  链路 {link}  上传 {pushed}  下载 {pulled}  待上传 {backlog}</translation>
    </message>
    <message>
      <source>No sync has run yet.</source>
      <translation>尚未进行同步。</translation>
    </message>
  </context>
  <context>
    <name>TourBar</name>
    <message>
      <source>Patrol plan:</source>
      <translation>巡逻方案：</translation>
    </message>
    <message>
      <source>Patrol plan</source>
      <translation>巡逻方案</translation>
    </message>
    <message>
      <source>Start tour</source>
      <translation>开始轮巡</translation>
    </message>
    <message>
      <source>Pause</source>
      <translation>暂停</translation>
    </message>
    <message>
      <source>Back</source>
      <translation>上一步</translation>
    </message>
    <message>
      <source>Skip</source>
      <translation>下一步</translation>
    </message>
    <message>
      <source>Stop tour</source>
      <translation>停止轮巡</translation>
    </message>
    <message>
      <source>Touring: {name}</source>
      <translation>正在轮巡：{name}</translation>
    </message>
    <message>
      <source>No tour running</source>
      <translation>未在轮巡</translation>
    </message>
    <message>
      <source>Touring: {name} — step {page}, {n} cameras</source>
      <translation>正在轮巡：{name} — 第 {page} 步，{n} 台摄像机</translation>
    </message>
    <message>
      <source>Resume</source>
      <translation>继续</translation>
    </message>
    <message>
      <source>Tour paused</source>
      <translation>轮巡已暂停</translation>
    </message>
  </context>
  <context>
    <name>TourRunner</name>
    <message>
      <source>Plan {name} has no cameras to show.</source>
      <translation>方案 {name} 没有可显示的摄像机。</translation>
    </message>
    <message>
      <source>camera offline</source>
      <translation>摄像机离线</translation>
    </message>
    <message>
      <source>Tour skipped camera {camera}: {reason}</source>
      <translation>轮巡跳过摄像机 {camera}：{reason}</translation>
    </message>
    <message>
      <source>Patrol plan {name} started on schedule.</source>
      <translation>巡逻方案 {name} 已按时自动开始。</translation>
    </message>
  </context>
  <context>
    <name>UserDialog</name>
    <message>
      <source>Edit user</source>
      <translation>编辑用户</translation>
    </message>
    <message>
      <source>Add user</source>
      <translation>添加用户</translation>
    </message>
    <message>
      <source>Account may sign in</source>
      <translation>账号可登录</translation>
    </message>
    <message>
      <source>Active</source>
      <translation>在用</translation>
    </message>
    <message>
      <source>Leave empty to keep the current password</source>
      <translation>留空则保留当前密码</translation>
    </message>
    <message>
      <source>New password</source>
      <translation>新密码</translation>
    </message>
    <message>
      <source>Repeat password</source>
      <translation>确认密码</translation>
    </message>
    <message>
      <source>The two passwords differ.</source>
      <translation>两次输入的密码不一致。</translation>
    </message>
  </context>
  <context>
    <name>UsersView</name>
    <message>
      <source>Add user…</source>
      <translation>添加用户…</translation>
    </message>
    <message>
      <source>Edit…</source>
      <translation>编辑…</translation>
    </message>
    <message>
      <source>Refresh</source>
      <translation>刷新</translation>
    </message>
    <message>
      <source>Your role may not manage users.</source>
      <translation>您的角色无权管理用户。</translation>
    </message>
    <message>
      <source>{n} accounts</source>
      <translation>{n} 个账号</translation>
    </message>
  </context>
  <context>
    <name>VideoWall</name>
    <message>
      <source>The video ({codec}) cannot be decoded by this console.</source>
      <translation>本机无法解码该视频（{codec}）。</translation>
    </message>
    <message>
      <source>This tile shows no picture to capture.</source>
      <translation>此窗格没有可抓拍的画面。</translation>
    </message>
  </context>
  <context>
    <name>WallPage</name>
    <message>
      <source>Layout:</source>
      <translation>布局：</translation>
    </message>
    <message>
      <source>Wall layout</source>
      <translation>电视墙布局</translation>
    </message>
    <message>
      <source>{n} tiles</source>
      <translation>{n} 画面</translation>
    </message>
    <message>
      <source>View:</source>
      <translation>视图：</translation>
    </message>
    <message>
      <source>Saved views</source>
      <translation>已保存的视图</translation>
    </message>
    <message>
      <source>Save view…</source>
      <translation>保存视图…</translation>
    </message>
    <message>
      <source>Delete view</source>
      <translation>删除视图</translation>
    </message>
    <message>
      <source>Snapshot</source>
      <translation>抓拍</translation>
    </message>
    <message>
      <source>Incident</source>
      <translation>警情</translation>
    </message>
    <message>
      <source>Record an incident on the selected tile and report it (F8)</source>
      <translation>对选中画面登记警情并上报（F8）</translation>
    </message>
    <message>
      <source>Enlarge / restore</source>
      <translation>放大/还原</translation>
    </message>
    <message>
      <source>Empty wall</source>
      <translation>清空电视墙</translation>
    </message>
    <message>
      <source>Full-screen wall</source>
      <translation>全屏电视墙</translation>
    </message>
    <message>
      <source>Detach wall</source>
      <translation>分离电视墙</translation>
    </message>
    <message>
      <source>Patrol plan {name} is due: start it from the tour bar.</source>
      <translation>巡逻方案 {name} 已到时间：请在轮巡栏中开始。</translation>
    </message>
    <message>
      <source>Custom</source>
      <translation>自定义</translation>
    </message>
    <message>
      <source>(choose a saved view)</source>
      <translation>（选择已保存的视图）</translation>
    </message>
    <message>
      <source>Save view</source>
      <translation>保存视图</translation>
    </message>
    <message>
      <source>Name of the view:</source>
      <translation>视图名称：</translation>
    </message>
    <message>
      <source>Close camera</source>
      <translation>关闭摄像机</translation>
    </message>
    <message>
      <source>Unpin tile (rotate again)</source>
      <translation>取消固定（恢复轮巡）</translation>
    </message>
    <message>
      <source>Pin tile (stop rotating)</source>
      <translation>固定画面（停止轮巡）</translation>
    </message>
    <message>
      <source>Join with the tile to the right</source>
      <translation>与右侧窗格合并</translation>
    </message>
    <message>
      <source>Join with the tile below</source>
      <translation>与下方窗格合并</translation>
    </message>
    <message>
      <source>Select a tile that shows a camera first.</source>
      <translation>请先选中一个显示摄像机的画面。</translation>
    </message>
    <message>
      <source>Snapshot saved: {path}</source>
      <translation>抓拍已保存：{path}</translation>
    </message>
    <message>
      <source>Video wall</source>
      <translation>电视墙</translation>
    </message>
  </context>
  <context>
    <name>WallTile</name>
    <message>
      <source>Drag a camera here</source>
      <translation>将摄像机拖到此处</translation>
    </message>
    <message>
      <source>Connecting</source>
      <translation>正在连接</translation>
    </message>
    <message>
      <source>Live</source>
      <translation>实时</translation>
    </message>
    <message>
      <source>Reconnecting</source>
      <translation>正在重连</translation>
    </message>
    <message>
      <source>Offline</source>
      <translation>离线</translation>
    </message>
    <message>
      <source>Waiting for the first picture…</source>
      <translation>正在等待第一帧画面…</translation>
    </message>
  </context>
  <context>
    <name>WatchDialog</name>
    <message>
      <source>Register a temporary watch</source>
      <translation>登记临时预约看护</translation>
    </message>
    <message>
      <source>Title</source>
      <translation>标题</translation>
    </message>
    <message>
      <source>Address</source>
      <translation>地址</translation>
    </message>
    <message>
      <source>Contact</source>
      <translation>联系人</translation>
    </message>
    <message>
      <source>First day</source>
      <translation>开始日期</translation>
    </message>
    <message>
      <source>Last day</source>
      <translation>结束日期</translation>
    </message>
    <message>
      <source>Cameras that see it</source>
      <translation>可看到该处的摄像机</translation>
    </message>
  </context>
  <context>
    <name>accounts</name>
    <message>
      <source>The password must have at least {n} characters.</source>
      <translation>密码至少需要 {n} 个字符。</translation>
    </message>
    <message>
      <source>A user name needs 1 to 64 characters and no spaces.</source>
      <translation>用户名需 1 到 64 个字符，且不能含空格。</translation>
    </message>
    <message>
      <source>An administrator already exists; sign in instead.</source>
      <translation>管理员已存在，请直接登录。</translation>
    </message>
    <message>
      <source>Wrong user name or password.</source>
      <translation>用户名或密码错误。</translation>
    </message>
    <message>
      <source>This account is disabled. Ask the administrator.</source>
      <translation>此账号已停用，请联系管理员。</translation>
    </message>
    <message>
      <source>Too many wrong passwords: this account is locked until {until}.</source>
      <translation>密码错误次数过多：此账号已锁定至 {until}。</translation>
    </message>
    <message>
      <source>No such user.</source>
      <translation>没有此用户。</translation>
    </message>
    <message>
      <source>The user name {name} is taken.</source>
      <translation>用户名 {name} 已被占用。</translation>
    </message>
    <message>
      <source>The last active administrator cannot be demoted or disabled.</source>
      <translation>最后一名在用管理员不能降级或停用。</translation>
    </message>
  </context>
  <context>
    <name>alarms</name>
    <message>
      <source>The alarm {id} no longer exists.</source>
      <translation>告警 {id} 已不存在。</translation>
    </message>
  </context>
  <context>
    <name>audit_view</name>
    <message>
      <source>Time</source>
      <translation>时间</translation>
    </message>
    <message>
      <source>Actor</source>
      <translation>操作人</translation>
    </message>
    <message>
      <source>Action</source>
      <translation>操作</translation>
    </message>
    <message>
      <source>Target</source>
      <translation>对象</translation>
    </message>
    <message>
      <source>Detail</source>
      <translation>详情</translation>
    </message>
  </context>
  <context>
    <name>backup</name>
    <message>
      <source>The backup {path} does not exist.</source>
      <translation>备份文件 {path} 不存在。</translation>
    </message>
    <message>
      <source>The backup {path} is not a database.</source>
      <translation>备份文件 {path} 不是数据库文件。</translation>
    </message>
    <message>
      <source>The backup {path} is damaged.</source>
      <translation>备份文件 {path} 已损坏。</translation>
    </message>
  </context>
  <context>
    <name>camera_tree</name>
    <message>
      <source>(no community)</source>
      <translation>（未归属社区）</translation>
    </message>
    <message>
      <source>(no site)</source>
      <translation>（未归属点位）</translation>
    </message>
  </context>
  <context>
    <name>cli</name>
    <message>
      <source>Backup written to {path}.</source>
      <translation>备份已写入 {path}。</translation>
    </message>
    <message>
      <source>Restored from {path}.</source>
      <translation>已从 {path} 恢复。</translation>
    </message>
    <message>
      <source>The previous database was kept as {path}.</source>
      <translation>原数据库已保留为 {path}。</translation>
    </message>
    <message>
      <source>Audit log intact: {n} rows verified.</source>
      <translation>审计日志完整：已校验 {n} 条记录。</translation>
    </message>
    <message>
      <source>Audit log TAMPERED at row {seq}: {reason}.</source>
      <translation>审计日志在第 {seq} 条被篡改：{reason}。</translation>
    </message>
    <message>
      <source>The database has {n} integrity problems.</source>
      <translation>数据库存在 {n} 处完整性问题。</translation>
    </message>
    <message>
      <source>Database integrity check passed.</source>
      <translation>数据库完整性检查通过。</translation>
    </message>
    <message>
      <source>Imported {rows} rows: {added} added, {updated} updated.</source>
      <translation>已导入 {rows} 行：新增 {added} 条，更新 {updated} 条。</translation>
    </message>
    <message>
      <source>Exported {n} rows to {path}.</source>
      <translation>已导出 {n} 行到 {path}。</translation>
    </message>
    <message>
      <source>Evidence intact: {n} files match the manifest (incidents {numbers}).</source>
      <translation>证据完整：{n} 个文件与清单一致（警情 {numbers}）。</translation>
    </message>
    <message>
      <source>Evidence TAMPERED or incomplete: {n} problems.</source>
      <translation>证据已被篡改或不完整：发现 {n} 处问题。</translation>
    </message>
    <message>
      <source>Manifest SHA-256: {digest}</source>
      <translation>清单 SHA-256：{digest}</translation>
    </message>
    <message>
      <source>The station's audit log recorded this export.</source>
      <translation>本所审计日志记录了这次导出。</translation>
    </message>
    <message>
      <source>This station's audit log has no export with this manifest.</source>
      <translation>本所审计日志中没有与此清单相符的导出记录。</translation>
    </message>
    <message>
      <source>Bad address range: {error}</source>
      <translation>地址范围有误：{error}</translation>
    </message>
    <message>
      <source>{n} cameras found.</source>
      <translation>发现 {n} 台摄像机。</translation>
    </message>
    <message>
      <source>--save needs --officer NAME.</source>
      <translation>--save 需要同时指定 --officer 用户名。</translation>
    </message>
    <message>
      <source>Camera saved as {name}.</source>
      <translation>摄像机已保存为 {name}。</translation>
    </message>
    <message>
      <source>{n} cameras checked, {bad} with problems.</source>
      <translation>已检测 {n} 台摄像机，{bad} 台有问题。</translation>
    </message>
  </context>
  <context>
    <name>devices</name>
    <message>
      <source>Camera {address} cannot be reached: check its power, cable and address.</source>
      <translation>无法连接摄像机 {address}：请检查电源、线路和地址。</translation>
    </message>
    <message>
      <source>Camera {address} refused the user name or password.</source>
      <translation>摄像机 {address} 拒绝了用户名或密码。</translation>
    </message>
    <message>
      <source>{address} answers, but it is not an ONVIF camera (or ONVIF is switched off).</source>
      <translation>{address} 有响应，但不是 ONVIF 摄像机（或未开启 ONVIF）。</translation>
    </message>
    <message>
      <source>Camera {address} refused the login because its clock is wrong; set the camera's time.</source>
      <translation>摄像机 {address} 因时钟不准拒绝登录，请校准摄像机时间。</translation>
    </message>
    <message>
      <source>Camera {address} sent a reply that cannot be read ({detail}).</source>
      <translation>摄像机 {address} 返回了无法解析的应答（{detail}）。</translation>
    </message>
    <message>
      <source>Camera {address} did not answer within {seconds} seconds.</source>
      <translation>摄像机 {address} 在 {seconds} 秒内未响应。</translation>
    </message>
  </context>
  <context>
    <name>duty</name>
    <message>
      <source>You are not signed in for duty.</source>
      <translation>您尚未签到上班。</translation>
    </message>
    <message>
      <source>The handover note is too long (4000 characters).</source>
      <translation>交接说明过长（最多 4000 字）。</translation>
    </message>
    <message>
      <source>Write what happened.</source>
      <translation>请填写发生的情况。</translation>
    </message>
    <message>
      <source>Incident</source>
      <translation>警情</translation>
    </message>
    <message>
      <source>Fault</source>
      <translation>故障</translation>
    </message>
    <message>
      <source>Watch</source>
      <translation>预约看护</translation>
    </message>
    <message>
      <source>Plan</source>
      <translation>方案</translation>
    </message>
    <message>
      <source>Covered</source>
      <translation>已巡</translation>
    </message>
    <message>
      <source>Share</source>
      <translation>比例</translation>
    </message>
    <message>
      <source>Missed cameras</source>
      <translation>漏巡摄像机</translation>
    </message>
  </context>
  <context>
    <name>evidence</name>
    <message>
      <source>{path}: file missing</source>
      <translation>{path}：文件缺失</translation>
    </message>
    <message>
      <source>{path}: content changed (checksum differs)</source>
      <translation>{path}：内容被改动（校验值不符）</translation>
    </message>
    <message>
      <source>{path}: file not in the manifest</source>
      <translation>{path}：清单中没有此文件</translation>
    </message>
    <message>
      <source>{path}: manifest unreadable</source>
      <translation>{path}：清单无法读取</translation>
    </message>
    <message>
      <source>{path}: does not agree with the manifest</source>
      <translation>{path}：与清单不一致</translation>
    </message>
    <message>
      <source>Choose at least one incident to export.</source>
      <translation>请至少选择一条警情再导出。</translation>
    </message>
    <message>
      <source>{path} already exists; choose a new name.</source>
      <translation>{path} 已存在，请换一个名称。</translation>
    </message>
    <message>
      <source>The evidence could not be written to {path}: {reason}. Nothing was exported.</source>
      <translation>证据无法写入 {path}：{reason}。未导出任何内容。</translation>
    </message>
    <message>
      <source>The file {file} of incident {number} is missing from the media folder; nothing was exported.</source>
      <translation>警情 {number} 的文件 {file} 已不在媒体目录中，未导出任何内容。</translation>
    </message>
    <message>
      <source>The file {file} of incident {number} was changed after it was captured (its checksum differs); nothing was exported.</source>
      <translation>警情 {number} 的文件 {file} 在采集后被改动过（校验值不符），未导出任何内容。</translation>
    </message>
    <message>
      <source>{path} does not exist.</source>
      <translation>{path} 不存在。</translation>
    </message>
    <message>
      <source>{path} is neither an evidence folder nor a zip file.</source>
      <translation>{path} 既不是证据文件夹，也不是 zip 文件。</translation>
    </message>
  </context>
  <context>
    <name>fault_desk</name>
    <message>
      <source>Opened</source>
      <translation>发现时间</translation>
    </message>
    <message>
      <source>Seen again</source>
      <translation>再次出现</translation>
    </message>
    <message>
      <source>Recovered — awaiting verification</source>
      <translation>已恢复，待核实</translation>
    </message>
    <message>
      <source>Owner notified</source>
      <translation>已通知产权单位</translation>
    </message>
    <message>
      <source>Repair started</source>
      <translation>开始维修</translation>
    </message>
    <message>
      <source>Repair reported done</source>
      <translation>报告已修复</translation>
    </message>
    <message>
      <source>Verified and closed</source>
      <translation>核实并关闭</translation>
    </message>
    <message>
      <source>Closed: not a fault</source>
      <translation>关闭：非故障</translation>
    </message>
    <message>
      <source>Note</source>
      <translation>备注</translation>
    </message>
  </context>
  <context>
    <name>faults</name>
    <message>
      <source>The fault picture could not be saved to {path}: {reason}.</source>
      <translation>故障图片无法保存到 {path}：{reason}。</translation>
    </message>
    <message>
      <source>The picture reference {ref} is not valid.</source>
      <translation>图片引用 {ref} 无效。</translation>
    </message>
    <message>
      <source>The camera {id} is not registered.</source>
      <translation>摄像机 {id} 未登记。</translation>
    </message>
    <message>
      <source>The description is too long (at most {n} characters).</source>
      <translation>描述太长（最多 {n} 个字）。</translation>
    </message>
    <message>
      <source>Describe the fault: the kind 'Other' needs a description.</source>
      <translation>请描述故障：选择“其他”时必须填写描述。</translation>
    </message>
    <message>
      <source>The photo must be a JPEG picture of at most 10 MB.</source>
      <translation>照片必须是不超过 10 MB 的 JPEG 图片。</translation>
    </message>
    <message>
      <source>The note is too long (at most {n} characters).</source>
      <translation>备注太长（最多 {n} 个字）。</translation>
    </message>
    <message>
      <source>The fault {id} no longer exists.</source>
      <translation>故障 {id} 已不存在。</translation>
    </message>
    <message>
      <source>This fault is '{status}'; it cannot be moved to '{target}'.</source>
      <translation>该故障当前为“{status}”，不能改为“{target}”。</translation>
    </message>
    <message>
      <source>Only a fault reported repaired or seen recovered can be verified; record the repair first.</source>
      <translation>只有已报修复或已检测到恢复的故障才能核实，请先登记维修情况。</translation>
    </message>
    <message>
      <source>Say why this is not a fault before closing it.</source>
      <translation>关闭前请说明为什么这不是故障。</translation>
    </message>
    <message>
      <source>The note is empty.</source>
      <translation>备注为空。</translation>
    </message>
    <message>
      <source>The fault list could not be written to {path}: {reason}.</source>
      <translation>故障清单无法写入 {path}：{reason}。</translation>
    </message>
    <message>
      <source>Offline</source>
      <translation>离线</translation>
    </message>
    <message>
      <source>Video signal lost</source>
      <translation>视频信号丢失</translation>
    </message>
    <message>
      <source>Video stream stalled</source>
      <translation>视频流中断</translation>
    </message>
    <message>
      <source>Password refused</source>
      <translation>密码被拒绝</translation>
    </message>
    <message>
      <source>Clock wrong</source>
      <translation>时钟错误</translation>
    </message>
    <message>
      <source>Black picture</source>
      <translation>黑屏</translation>
    </message>
    <message>
      <source>Frozen picture</source>
      <translation>画面冻结</translation>
    </message>
    <message>
      <source>Blurred / out of focus</source>
      <translation>模糊 / 失焦</translation>
    </message>
    <message>
      <source>Lens covered</source>
      <translation>镜头遮挡</translation>
    </message>
    <message>
      <source>Colour cast</source>
      <translation>偏色</translation>
    </message>
    <message>
      <source>Snow / noise</source>
      <translation>雪花 / 噪声</translation>
    </message>
    <message>
      <source>Dirty lens</source>
      <translation>镜头脏污</translation>
    </message>
    <message>
      <source>Pole tilted</source>
      <translation>立杆倾斜</translation>
    </message>
    <message>
      <source>Cable cut</source>
      <translation>线缆断开</translation>
    </message>
    <message>
      <source>Power failure</source>
      <translation>断电</translation>
    </message>
    <message>
      <source>Vandalism</source>
      <translation>人为破坏</translation>
    </message>
    <message>
      <source>Other</source>
      <translation>其他</translation>
    </message>
    <message>
      <source>High</source>
      <translation>高</translation>
    </message>
    <message>
      <source>Medium</source>
      <translation>中</translation>
    </message>
    <message>
      <source>Low</source>
      <translation>低</translation>
    </message>
    <message>
      <source>Open</source>
      <translation>待处理</translation>
    </message>
    <message>
      <source>Owner notified</source>
      <translation>已通知产权单位</translation>
    </message>
    <message>
      <source>In repair</source>
      <translation>维修中</translation>
    </message>
    <message>
      <source>Resolved</source>
      <translation>已修复</translation>
    </message>
    <message>
      <source>Verified / closed</source>
      <translation>已核实关闭</translation>
    </message>
    <message>
      <source>Recovered — awaiting verification</source>
      <translation>已恢复，待核实</translation>
    </message>
    <message>
      <source>Health monitor</source>
      <translation>健康监测</translation>
    </message>
    <message>
      <source>Logged by officer</source>
      <translation>民警登记</translation>
    </message>
    <message>
      <source>Inspection round</source>
      <translation>巡检</translation>
    </message>
  </context>
  <context>
    <name>faults_csv</name>
    <message>
      <source>Camera</source>
      <translation>摄像机</translation>
    </message>
    <message>
      <source>Site</source>
      <translation>点位</translation>
    </message>
    <message>
      <source>Community</source>
      <translation>社区</translation>
    </message>
    <message>
      <source>Owner unit</source>
      <translation>产权单位</translation>
    </message>
    <message>
      <source>Contact</source>
      <translation>联系人</translation>
    </message>
    <message>
      <source>Phone</source>
      <translation>电话</translation>
    </message>
    <message>
      <source>Fault</source>
      <translation>故障</translation>
    </message>
    <message>
      <source>Severity</source>
      <translation>严重程度</translation>
    </message>
    <message>
      <source>Status</source>
      <translation>状态</translation>
    </message>
    <message>
      <source>Source</source>
      <translation>来源</translation>
    </message>
    <message>
      <source>Opened</source>
      <translation>发现时间</translation>
    </message>
    <message>
      <source>Due</source>
      <translation>限期</translation>
    </message>
    <message>
      <source>Occurrences</source>
      <translation>出现次数</translation>
    </message>
    <message>
      <source>Recovered</source>
      <translation>恢复时间</translation>
    </message>
    <message>
      <source>Closed</source>
      <translation>关闭时间</translation>
    </message>
    <message>
      <source>Description</source>
      <translation>描述</translation>
    </message>
    <message>
      <source>Fault id</source>
      <translation>故障编号</translation>
    </message>
  </context>
  <context>
    <name>fields</name>
    <message>
      <source>Name</source>
      <translation>名称</translation>
    </message>
    <message>
      <source>Kind</source>
      <translation>类型</translation>
    </message>
    <message>
      <source>Community</source>
      <translation>社区</translation>
    </message>
    <message>
      <source>Grid</source>
      <translation>网格</translation>
    </message>
    <message>
      <source>Address</source>
      <translation>地址</translation>
    </message>
    <message>
      <source>Latitude</source>
      <translation>纬度</translation>
    </message>
    <message>
      <source>Longitude</source>
      <translation>经度</translation>
    </message>
    <message>
      <source>Notes</source>
      <translation>备注</translation>
    </message>
    <message>
      <source>Contact person</source>
      <translation>联系人</translation>
    </message>
    <message>
      <source>Phone</source>
      <translation>联系电话</translation>
    </message>
    <message>
      <source>Site</source>
      <translation>点位</translation>
    </message>
    <message>
      <source>Owner unit</source>
      <translation>产权单位</translation>
    </message>
    <message>
      <source>Vendor</source>
      <translation>厂商</translation>
    </message>
    <message>
      <source>Model</source>
      <translation>型号</translation>
    </message>
    <message>
      <source>Serial number</source>
      <translation>序列号</translation>
    </message>
    <message>
      <source>MAC address</source>
      <translation>MAC 地址</translation>
    </message>
    <message>
      <source>Firmware</source>
      <translation>固件版本</translation>
    </message>
    <message>
      <source>ONVIF address</source>
      <translation>ONVIF 地址</translation>
    </message>
    <message>
      <source>GB/T 28181 ID</source>
      <translation>GB/T 28181 编码</translation>
    </message>
    <message>
      <source>Networked to city</source>
      <translation>已接入市级平台</translation>
    </message>
    <message>
      <source>Install date</source>
      <translation>安装日期</translation>
    </message>
    <message>
      <source>Main stream</source>
      <translation>主码流</translation>
    </message>
    <message>
      <source>Main resolution</source>
      <translation>主码流分辨率</translation>
    </message>
    <message>
      <source>Main codec</source>
      <translation>主码流编码</translation>
    </message>
    <message>
      <source>Sub stream</source>
      <translation>子码流</translation>
    </message>
    <message>
      <source>Sub resolution</source>
      <translation>子码流分辨率</translation>
    </message>
    <message>
      <source>Sub codec</source>
      <translation>子码流编码</translation>
    </message>
    <message>
      <source>User name</source>
      <translation>用户名</translation>
    </message>
    <message>
      <source>Password</source>
      <translation>密码</translation>
    </message>
    <message>
      <source>Display name</source>
      <translation>显示名称</translation>
    </message>
    <message>
      <source>Role</source>
      <translation>角色</translation>
    </message>
  </context>
  <context>
    <name>health</name>
    <message>
      <source>Not checked yet</source>
      <translation>尚未检测</translation>
    </message>
    <message>
      <source>Online</source>
      <translation>在线</translation>
    </message>
    <message>
      <source>Degraded</source>
      <translation>异常</translation>
    </message>
    <message>
      <source>Offline</source>
      <translation>离线</translation>
    </message>
    <message>
      <source>Camera alarms</source>
      <translation>设备告警</translation>
    </message>
  </context>
  <context>
    <name>import</name>
    <message>
      <source>The file {path} is larger than 50 MB.</source>
      <translation>文件 {path} 超过 50 MB。</translation>
    </message>
    <message>
      <source>The file {path} is neither UTF-8 nor GB18030 text.</source>
      <translation>文件 {path} 既不是 UTF-8 也不是 GB18030 编码的文本。</translation>
    </message>
    <message>
      <source>The file is empty.</source>
      <translation>文件为空。</translation>
    </message>
    <message>
      <source>Unknown columns: {columns}. Expected: {expected}.</source>
      <translation>无法识别的列：{columns}。应为：{expected}。</translation>
    </message>
    <message>
      <source>The file has no 'name' column.</source>
      <translation>文件缺少“name”（名称）列。</translation>
    </message>
    <message>
      <source>Row {row} has more cells than the header.</source>
      <translation>第 {row} 行的单元格数多于表头。</translation>
    </message>
    <message>
      <source>Row {row}: {error}</source>
      <translation>第 {row} 行：{error}</translation>
    </message>
    <message>
      <source>Row {row}: the same record as row {other} ({key}).</source>
      <translation>第 {row} 行：与第 {other} 行是同一条记录（{key}）。</translation>
    </message>
    <message>
      <source>Nothing was imported: {n} rows have problems.</source>
      <translation>未导入任何数据：{n} 行有问题。</translation>
    </message>
  </context>
  <context>
    <name>incident_sheet</name>
    <message>
      <source>Incident evidence sheet</source>
      <translation>警情证据单</translation>
    </message>
    <message>
      <source>Incident number</source>
      <translation>警情编号</translation>
    </message>
    <message>
      <source>Time of the key press</source>
      <translation>发现时间（按键时刻）</translation>
    </message>
    <message>
      <source>Camera</source>
      <translation>摄像机</translation>
    </message>
    <message>
      <source>Site</source>
      <translation>点位</translation>
    </message>
    <message>
      <source>Officer</source>
      <translation>值班民警</translation>
    </message>
    <message>
      <source>Category</source>
      <translation>警情类别</translation>
    </message>
    <message>
      <source>Priority</source>
      <translation>紧急程度</translation>
    </message>
    <message>
      <source>State</source>
      <translation>状态</translation>
    </message>
    <message>
      <source>Report to the command centre</source>
      <translation>上报指挥中心</translation>
    </message>
    <message>
      <source>Reported</source>
      <translation>上报时间</translation>
    </message>
    <message>
      <source>Dispatched</source>
      <translation>调度时间</translation>
    </message>
    <message>
      <source>On scene</source>
      <translation>到场时间</translation>
    </message>
    <message>
      <source>Closed</source>
      <translation>办结时间</translation>
    </message>
    <message>
      <source>Outcome</source>
      <translation>处置结果</translation>
    </message>
    <message>
      <source>Suspects caught</source>
      <translation>抓获嫌疑人（人）</translation>
    </message>
    <message>
      <source>Note</source>
      <translation>情况说明</translation>
    </message>
    <message>
      <source>Outcome note</source>
      <translation>结果说明</translation>
    </message>
    <message>
      <source>Not captured</source>
      <translation>未采集到</translation>
    </message>
    <message>
      <source>Linked incidents</source>
      <translation>关联警情</translation>
    </message>
    <message>
      <source>Bulletin</source>
      <translation>关联通报</translation>
    </message>
    <message>
      <source>Instructions received</source>
      <translation>收到的指令</translation>
    </message>
    <message>
      <source>{start} to {end} ({seconds} s, {before} s before the key press)</source>
      <translation>{start} 至 {end}（共 {seconds} 秒，含按键前 {before} 秒）</translation>
    </message>
    <message>
      <source>Every file of this export is listed with its SHA-256 in manifest.json (manifest SHA-256 recorded in the station's audit log). Check it with: station-console evidence verify PATH</source>
      <translation>本次导出的每个文件及其 SHA-256 均列于 manifest.json（清单的 SHA-256 已记入本所审计日志）。核验命令：station-console evidence verify 路径</translation>
    </message>
    <message>
      <source>Station</source>
      <translation>派出所</translation>
    </message>
    <message>
      <source>none</source>
      <translation>无</translation>
    </message>
  </context>
  <context>
    <name>incidents</name>
    <message>
      <source>Suspicious person</source>
      <translation>可疑人员</translation>
    </message>
    <message>
      <source>Suspicious vehicle</source>
      <translation>可疑车辆</translation>
    </message>
    <message>
      <source>Fight</source>
      <translation>打架斗殴</translation>
    </message>
    <message>
      <source>Theft</source>
      <translation>盗窃</translation>
    </message>
    <message>
      <source>Traffic</source>
      <translation>交通</translation>
    </message>
    <message>
      <source>Fire</source>
      <translation>火情</translation>
    </message>
    <message>
      <source>Crowd gathering</source>
      <translation>人员聚集</translation>
    </message>
    <message>
      <source>Other</source>
      <translation>其他</translation>
    </message>
    <message>
      <source>Normal</source>
      <translation>一般</translation>
    </message>
    <message>
      <source>Urgent</source>
      <translation>紧急</translation>
    </message>
    <message>
      <source>Critical</source>
      <translation>特急</translation>
    </message>
    <message>
      <source>Captured, not reported</source>
      <translation>已采集，未上报</translation>
    </message>
    <message>
      <source>Reported</source>
      <translation>已上报</translation>
    </message>
    <message>
      <source>Dispatched</source>
      <translation>已调度</translation>
    </message>
    <message>
      <source>On scene</source>
      <translation>已到场</translation>
    </message>
    <message>
      <source>Closed</source>
      <translation>已办结</translation>
    </message>
    <message>
      <source>No outcome yet</source>
      <translation>尚无结果</translation>
    </message>
    <message>
      <source>False alarm</source>
      <translation>误报</translation>
    </message>
    <message>
      <source>Handled on scene</source>
      <translation>现场处置</translation>
    </message>
    <message>
      <source>Video clue provided</source>
      <translation>提供视频线索</translation>
    </message>
    <message>
      <source>Current case solved</source>
      <translation>破获现行案件</translation>
    </message>
    <message>
      <source>Backlog case solved</source>
      <translation>破获积案</translation>
    </message>
    <message>
      <source>Not reported</source>
      <translation>未上报</translation>
    </message>
    <message>
      <source>Queued for the command centre</source>
      <translation>排队待发往指挥中心</translation>
    </message>
    <message>
      <source>Sent to the command centre</source>
      <translation>已送达指挥中心</translation>
    </message>
    <message>
      <source>Acknowledged by the command centre</source>
      <translation>指挥中心已签收</translation>
    </message>
    <message>
      <source>No snapshot: the camera was not sending video at the moment of capture.</source>
      <translation>无截图：按键时摄像机没有视频。</translation>
    </message>
    <message>
      <source>No snapshot: no picture could be decoded from the stream.</source>
      <translation>无截图：无法从视频流解出画面。</translation>
    </message>
    <message>
      <source>No snapshot: it could not be saved ({detail}).</source>
      <translation>无截图：截图无法保存（{detail}）。</translation>
    </message>
    <message>
      <source>No clip: the camera was not sending video, so nothing was buffered.</source>
      <translation>无录像：摄像机没有视频，缓存中没有内容。</translation>
    </message>
    <message>
      <source>No clip: it could not be saved ({detail}).</source>
      <translation>无录像：录像无法保存（{detail}）。</translation>
    </message>
    <message>
      <source>No clip: the console closed before the clip could be saved.</source>
      <translation>无录像：录像保存前巡控台已关闭。</translation>
    </message>
    <message>
      <source>No camera: the incident was recorded without video.</source>
      <translation>无摄像机：该警情在没有视频的情况下登记。</translation>
    </message>
    <message>
      <source>Missing {what}: {detail}</source>
      <translation>缺少{what}：{detail}</translation>
    </message>
    <message>
      <source>There is no incident {id}.</source>
      <translation>没有警情 {id}。</translation>
    </message>
    <message>
      <source>The clip is not in the station's media folder.</source>
      <translation>录像不在本所的媒体目录中。</translation>
    </message>
    <message>
      <source>Incident {number} is not waiting for a clip.</source>
      <translation>警情 {number} 没有待保存的录像。</translation>
    </message>
    <message>
      <source>The note is too long (at most {n} characters).</source>
      <translation>说明太长（最多 {n} 个字）。</translation>
    </message>
    <message>
      <source>Only dispatch and arrival on scene can be marked.</source>
      <translation>只能标记“已调度”和“已到场”。</translation>
    </message>
    <message>
      <source>Report incident {number} to the command centre first.</source>
      <translation>请先将警情 {number} 上报指挥中心。</translation>
    </message>
    <message>
      <source>Incident {number} is already past that step.</source>
      <translation>警情 {number} 已经过了这一步。</translation>
    </message>
    <message>
      <source>Choose an outcome.</source>
      <translation>请选择处置结果。</translation>
    </message>
    <message>
      <source>Suspects caught must be a number from 0 to {n}.</source>
      <translation>抓获嫌疑人数必须是 0 到 {n} 之间的数字。</translation>
    </message>
    <message>
      <source>An incident cannot be linked to itself.</source>
      <translation>警情不能与自身关联。</translation>
    </message>
    <message>
      <source>Unknown period {p}.</source>
      <translation>未知的统计周期 {p}。</translation>
    </message>
    <message>
      <source>There is no instruction {id}.</source>
      <translation>没有指令 {id}。</translation>
    </message>
    <message>
      <source>The photo {name} does not match its checksum.</source>
      <translation>照片 {name} 与其校验值不符。</translation>
    </message>
    <message>
      <source>The photo could not be saved to {path}: {reason}.</source>
      <translation>照片无法保存到 {path}：{reason}。</translation>
    </message>
    <message>
      <source>Nothing missing.</source>
      <translation>采集完整。</translation>
    </message>
    <message>
      <source>No district hub is configured to fetch photos from.</source>
      <translation>未配置分局指挥中心，无法获取照片。</translation>
    </message>
  </context>
  <context>
    <name>inspections</name>
    <message>
      <source>The community {name} has no cameras to inspect.</source>
      <translation>社区 {name} 没有可巡检的摄像机。</translation>
    </message>
    <message>
      <source>Choose what is wrong with the camera.</source>
      <translation>请选择摄像机的问题。</translation>
    </message>
    <message>
      <source>This camera is not on the inspection round.</source>
      <translation>该摄像机不在本次巡检清单中。</translation>
    </message>
    <message>
      <source>This inspection round is already finished.</source>
      <translation>本次巡检已结束。</translation>
    </message>
    <message>
      <source>The inspection round no longer exists.</source>
      <translation>该巡检已不存在。</translation>
    </message>
  </context>
  <context>
    <name>inventory</name>
    <message>
      <source>The record {id} no longer exists.</source>
      <translation>记录 {id} 已不存在。</translation>
    </message>
    <message>
      <source>Another record already uses {field} '{value}'.</source>
      <translation>另一条记录已使用{field}“{value}”。</translation>
    </message>
    <message>
      <source>The chosen site or owner unit does not exist.</source>
      <translation>所选点位或产权单位不存在。</translation>
    </message>
    <message>
      <source>The record conflicts with an existing one.</source>
      <translation>该记录与已有记录冲突。</translation>
    </message>
    <message>
      <source>{field} '{value}' is not registered.</source>
      <translation>{field}“{value}”尚未登记。</translation>
    </message>
    <message>
      <source>This site still has {n} active cameras; move or retire them first.</source>
      <translation>该点位仍有 {n} 台在用摄像机，请先迁移或停用。</translation>
    </message>
  </context>
  <context>
    <name>inventory_dialogs</name>
    <message>
      <source>(none)</source>
      <translation>（无）</translation>
    </message>
  </context>
  <context>
    <name>kinds</name>
    <message>
      <source>Key place</source>
      <translation>重点部位</translation>
    </message>
    <message>
      <source>Residential community</source>
      <translation>居民小区</translation>
    </message>
    <message>
      <source>Village</source>
      <translation>村庄</translation>
    </message>
    <message>
      <source>Street shop</source>
      <translation>沿街商铺</translation>
    </message>
    <message>
      <source>School</source>
      <translation>学校</translation>
    </message>
    <message>
      <source>Enterprise</source>
      <translation>企业</translation>
    </message>
    <message>
      <source>Road or junction</source>
      <translation>道路路口</translation>
    </message>
    <message>
      <source>Checkpoint</source>
      <translation>治安卡点</translation>
    </message>
    <message>
      <source>Public security</source>
      <translation>公安</translation>
    </message>
    <message>
      <source>Property company</source>
      <translation>物业公司</translation>
    </message>
    <message>
      <source>Village committee</source>
      <translation>村委会</translation>
    </message>
    <message>
      <source>Shop</source>
      <translation>商铺</translation>
    </message>
    <message>
      <source>Installer</source>
      <translation>施工单位</translation>
    </message>
    <message>
      <source>Other</source>
      <translation>其他</translation>
    </message>
    <message>
      <source>Bullet</source>
      <translation>枪机</translation>
    </message>
    <message>
      <source>Dome / PTZ</source>
      <translation>球机（云台）</translation>
    </message>
    <message>
      <source>Class A</source>
      <translation>A类探头</translation>
    </message>
    <message>
      <source>Infrared alarm</source>
      <translation>红外线报警器</translation>
    </message>
    <message>
      <source>Alarm pole</source>
      <translation>无人值守报警杆</translation>
    </message>
  </context>
  <context>
    <name>main_window</name>
    <message>
      <source>&amp;Inventory</source>
      <translation>设备台账(&amp;I)</translation>
    </message>
    <message>
      <source>&amp;Patrol</source>
      <translation>巡逻(&amp;P)</translation>
    </message>
    <message>
      <source>&amp;Duty</source>
      <translation>值班(&amp;D)</translation>
    </message>
    <message>
      <source>&amp;Faults</source>
      <translation>故障(&amp;F)</translation>
    </message>
    <message>
      <source>&amp;Health</source>
      <translation>健康(&amp;H)</translation>
    </message>
    <message>
      <source>In&amp;cidents</source>
      <translation>警情(&amp;C)</translation>
    </message>
    <message>
      <source>&amp;Users</source>
      <translation>用户(&amp;U)</translation>
    </message>
    <message>
      <source>&amp;Audit log</source>
      <translation>审计日志(&amp;A)</translation>
    </message>
  </context>
  <context>
    <name>messages</name>
    <message>
      <source>Unexpected error: {error}. It has been logged; please report it.</source>
      <translation>意外错误：{error}。已记入日志，请上报。</translation>
    </message>
    <message>
      <source>Station Console</source>
      <translation>派出所视频巡控台</translation>
    </message>
  </context>
  <context>
    <name>overview</name>
    <message>
      <source>an entry is missing (deleted)</source>
      <translation>有记录缺失（被删除）</translation>
    </message>
    <message>
      <source>the chain is broken before this entry</source>
      <translation>此条记录之前的链已断开</translation>
    </message>
    <message>
      <source>the entry was changed</source>
      <translation>记录内容被改动</translation>
    </message>
    <message>
      <source>the anchor file is damaged or forged</source>
      <translation>锚定文件已损坏或被伪造</translation>
    </message>
    <message>
      <source>entries at the end are missing (deleted)</source>
      <translation>末尾记录缺失（被删除）</translation>
    </message>
    <message>
      <source>the last entry was changed</source>
      <translation>最后一条记录被改动</translation>
    </message>
  </context>
  <context>
    <name>patrol</name>
    <message>
      <source>{value} is not a time of day (HH:MM).</source>
      <translation>{value} 不是有效的时刻（时:分）。</translation>
    </message>
    <message>
      <source>Weekdays are written as digits 1 (Monday) to 7.</source>
      <translation>星期用数字 1（星期一）到 7 表示。</translation>
    </message>
    <message>
      <source>The last day comes before the first day.</source>
      <translation>结束日期早于开始日期。</translation>
    </message>
    <message>
      <source>A schedule window cannot be read.</source>
      <translation>无法读取时间段设置。</translation>
    </message>
    <message>
      <source>A plan step is either one camera or one site.</source>
      <translation>每个巡逻步骤只能是一台摄像机或一个点位。</translation>
    </message>
    <message>
      <source>A step's priority is 1, 2 or 3.</source>
      <translation>步骤优先级只能是 1、2 或 3。</translation>
    </message>
    <message>
      <source>A dwell time is between 3 and 3600 seconds.</source>
      <translation>停留时间须在 3 到 3600 秒之间。</translation>
    </message>
    <message>
      <source>There is no patrol plan {id}.</source>
      <translation>没有巡逻方案 {id}。</translation>
    </message>
    <message>
      <source>A plan needs a name of 1 to 60 characters.</source>
      <translation>方案名称须为 1 到 60 个字符。</translation>
    </message>
    <message>
      <source>A plan needs at least one camera or site.</source>
      <translation>方案至少需要一台摄像机或一个点位。</translation>
    </message>
    <message>
      <source>A plan has at most {n} steps.</source>
      <translation>方案最多 {n} 个步骤。</translation>
    </message>
    <message>
      <source>There is already a plan called {name}.</source>
      <translation>已有名为 {name} 的方案。</translation>
    </message>
    <message>
      <source>A watch needs a title.</source>
      <translation>预约看护需要填写标题。</translation>
    </message>
    <message>
      <source>Choose at least one camera that sees the address.</source>
      <translation>请至少选择一台能看到该地址的摄像机。</translation>
    </message>
    <message>
      <source>There is no watch {id}.</source>
      <translation>没有预约看护 {id}。</translation>
    </message>
    <message>
      <source>Step {n}: priority and dwell are whole numbers.</source>
      <translation>第 {n} 步：优先级和停留时间须为整数。</translation>
    </message>
  </context>
  <context>
    <name>permissions</name>
    <message>
      <source>view cameras</source>
      <translation>查看摄像机</translation>
    </message>
    <message>
      <source>edit the inventory</source>
      <translation>编辑设备台账</translation>
    </message>
    <message>
      <source>import the inventory</source>
      <translation>导入设备台账</translation>
    </message>
    <message>
      <source>export the inventory</source>
      <translation>导出设备台账</translation>
    </message>
    <message>
      <source>manage users</source>
      <translation>管理用户</translation>
    </message>
    <message>
      <source>read the audit log</source>
      <translation>查阅审计日志</translation>
    </message>
    <message>
      <source>change settings</source>
      <translation>修改设置</translation>
    </message>
    <message>
      <source>back up the database</source>
      <translation>备份数据库</translation>
    </message>
    <message>
      <source>use camera credentials</source>
      <translation>使用摄像机登录凭据</translation>
    </message>
    <message>
      <source>edit patrol plans</source>
      <translation>编辑巡逻方案</translation>
    </message>
    <message>
      <source>register temporary watches</source>
      <translation>登记临时预约看护</translation>
    </message>
    <message>
      <source>record spot checks</source>
      <translation>记录抽查</translation>
    </message>
    <message>
      <source>see incidents and bulletins</source>
      <translation>查看警情和通报</translation>
    </message>
    <message>
      <source>record and report incidents</source>
      <translation>登记和上报警情</translation>
    </message>
    <message>
      <source>export evidence</source>
      <translation>导出证据</translation>
    </message>
    <message>
      <source>see camera health and faults</source>
      <translation>查看设备健康与故障</translation>
    </message>
    <message>
      <source>log camera faults</source>
      <translation>登记设备故障</translation>
    </message>
    <message>
      <source>follow faults through repair</source>
      <translation>跟进故障维修</translation>
    </message>
    <message>
      <source>acknowledge camera alarms</source>
      <translation>确认设备告警</translation>
    </message>
    <message>
      <source>run inspection rounds</source>
      <translation>进行设备巡检</translation>
    </message>
    <message>
      <source>Sign in first: this needs permission to {what}.</source>
      <translation>请先登录：此操作需要“{what}”权限。</translation>
    </message>
    <message>
      <source>Your role ({role}) may not {what}.</source>
      <translation>您的角色（{role}）无权{what}。</translation>
    </message>
  </context>
  <context>
    <name>provisioning</name>
    <message>
      <source>New</source>
      <translation>新设备</translation>
    </message>
    <message>
      <source>Already registered</source>
      <translation>已登记</translation>
    </message>
    <message>
      <source>Moved (new address)</source>
      <translation>已迁移（地址变更）</translation>
    </message>
    <message>
      <source>Replaced (new camera at a known address)</source>
      <translation>已更换（原地址上的新摄像机）</translation>
    </message>
  </context>
  <context>
    <name>roles</name>
    <message>
      <source>Duty officer</source>
      <translation>值班民警</translation>
    </message>
    <message>
      <source>Community police</source>
      <translation>社区民警</translation>
    </message>
    <message>
      <source>Technician</source>
      <translation>技术员</translation>
    </message>
    <message>
      <source>Duty leader</source>
      <translation>值班领导</translation>
    </message>
    <message>
      <source>Administrator</source>
      <translation>管理员</translation>
    </message>
  </context>
  <context>
    <name>security</name>
    <message>
      <source>The station key in {where} is damaged.</source>
      <translation>{where} 中的本所密钥已损坏。</translation>
    </message>
    <message>
      <source>A stored camera password is damaged; enter it again.</source>
      <translation>已保存的摄像机密码已损坏，请重新输入。</translation>
    </message>
    <message>
      <source>A stored camera password cannot be decrypted with this station's key; enter it again.</source>
      <translation>已保存的摄像机密码无法用本所密钥解密，请重新输入。</translation>
    </message>
  </context>
  <context>
    <name>settings</name>
    <message>
      <source>{key} must be yes or no.</source>
      <translation>{key} 只能为“是”或“否”。</translation>
    </message>
    <message>
      <source>{key} must be a whole number.</source>
      <translation>{key} 必须是整数。</translation>
    </message>
    <message>
      <source>{key} has the wrong type.</source>
      <translation>{key} 的类型不正确。</translation>
    </message>
    <message>
      <source>{key} must be one of: {choices}.</source>
      <translation>{key} 必须是以下之一：{choices}。</translation>
    </message>
    <message>
      <source>{key} must be at least {n}.</source>
      <translation>{key} 不能小于 {n}。</translation>
    </message>
    <message>
      <source>{key} must be at most {n}.</source>
      <translation>{key} 不能大于 {n}。</translation>
    </message>
    <message>
      <source>Check every camera's health in the background.</source>
      <translation>在后台检测每台摄像机的健康状况。</translation>
    </message>
    <message>
      <source>Seconds between health checks of an ordinary camera.</source>
      <translation>普通摄像机健康检测的间隔秒数。</translation>
    </message>
    <message>
      <source>Seconds between health checks of a key place's camera.</source>
      <translation>重点部位摄像机健康检测的间隔秒数。</translation>
    </message>
    <message>
      <source>Seconds between picture quality checks of a camera.</source>
      <translation>摄像机画面质量诊断的间隔秒数。</translation>
    </message>
    <message>
      <source>A camera clock off by more than this is a fault.</source>
      <translation>摄像机时钟偏差超过此秒数即为故障。</translation>
    </message>
    <message>
      <source>Hours allowed to repair a high-severity fault.</source>
      <translation>高严重程度故障的维修时限（小时）。</translation>
    </message>
    <message>
      <source>Hours allowed to repair a medium-severity fault.</source>
      <translation>中严重程度故障的维修时限（小时）。</translation>
    </message>
    <message>
      <source>Hours allowed to repair a low-severity fault.</source>
      <translation>低严重程度故障的维修时限（小时）。</translation>
    </message>
    <message>
      <source>Name of this station, shown in the title bar and reports.</source>
      <translation>本所名称，显示在标题栏和报表中。</translation>
    </message>
    <message>
      <source>Language of the console.</source>
      <translation>界面语言。</translation>
    </message>
    <message>
      <source>Lock the console after this many idle minutes (0: never).</source>
      <translation>无操作多少分钟后锁定巡控台（0：不锁定）。</translation>
    </message>
    <message>
      <source>How camera streams are fetched: TCP (robust) or UDP.</source>
      <translation>摄像机视频流的传输方式：TCP（稳定）或 UDP。</translation>
    </message>
    <message>
      <source>Seconds of video kept in memory for incident clips.</source>
      <translation>为事件截取片段在内存中保留的视频秒数。</translation>
    </message>
    <message>
      <source>Address of the district hub (empty: work alone).</source>
      <translation>分局指挥中心地址（留空：单机工作）。</translation>
    </message>
    <message>
      <source>How many daily backups to keep.</source>
      <translation>保留的每日备份份数。</translation>
    </message>
    <message>
      <source>Play a sound when a camera alarm is raised.</source>
      <translation>摄像机报警时播放提示音。</translation>
    </message>
  </context>
  <context>
    <name>settings_dialog</name>
    <message>
      <source>Chinese (简体中文)</source>
      <translation>简体中文</translation>
    </message>
    <message>
      <source>English</source>
      <translation>英文 (English)</translation>
    </message>
    <message>
      <source>TCP (robust)</source>
      <translation>TCP（稳定）</translation>
    </message>
    <message>
      <source>UDP (lower delay)</source>
      <translation>UDP（延迟低）</translation>
    </message>
  </context>
  <context>
    <name>startup</name>
    <message>
      <source>Station Console</source>
      <translation>派出所视频巡控台</translation>
    </message>
    <message>
      <source>{error}

There is no backup to restore. The damaged file was left as it is; ask the technician for help.</source>
      <translation>{error}

没有可恢复的备份。损坏的文件保持原样，请联系技术员。</translation>
    </message>
    <message>
      <source>{error}

Restore the newest backup ({backup})? The damaged file is kept beside it, renamed, so nothing is lost.</source>
      <translation>{error}

是否恢复最新的备份（{backup}）？损坏的文件会改名后保留在旁边，不会丢失任何内容。</translation>
    </message>
  </context>
  <context>
    <name>storage</name>
    <message>
      <source>The disk holding the station database ({path}) is full; nothing was saved. Free some space and try again.</source>
      <translation>存放本所数据库的磁盘（{path}）已满，未保存任何内容。请释放空间后重试。</translation>
    </message>
    <message>
      <source>The station database is busy; nothing was saved. Try again in a moment.</source>
      <translation>本所数据库正忙，未保存任何内容。请稍后重试。</translation>
    </message>
    <message>
      <source>The station database {path} is damaged and cannot be read. It has not been changed. Restore the latest backup.</source>
      <translation>本所数据库 {path} 已损坏，无法读取。该文件未被改动。请恢复最近的备份。</translation>
    </message>
    <message>
      <source>The station database {path} cannot be read ({reason}). It has not been changed. Restore the latest backup.</source>
      <translation>无法读取本所数据库 {path}（{reason}）。该文件未被改动。请恢复最近的备份。</translation>
    </message>
    <message>
      <source>Another Station Console (process {pid}) is already using the data directory {path}. Close it first, or start this one with a different --data-dir.</source>
      <translation>另一个巡控台（进程 {pid}）正在使用数据目录 {path}。请先关闭它，或用其他 --data-dir 启动本程序。</translation>
    </message>
    <message>
      <source>The station database was written by a newer version of Station Console (schema {found}, this program knows {known}). Install the newer version.</source>
      <translation>本所数据库由更新版本的巡控台写入（结构版本 {found}，本程序支持 {known}）。请安装新版本。</translation>
    </message>
  </context>
  <context>
    <name>sync</name>
    <message>
      <source>The district hub cannot be reached ({detail}). Changes are kept and sent later.</source>
      <translation>无法连接分局指挥中心（{detail}）。变更已保留，稍后自动上传。</translation>
    </message>
    <message>
      <source>The district hub did not answer in time. Changes are kept and sent later.</source>
      <translation>分局指挥中心未及时响应。变更已保留，稍后自动上传。</translation>
    </message>
    <message>
      <source>The district hub refused this station's token. Ask the hub administrator.</source>
      <translation>分局指挥中心拒绝了本所的接入令牌，请联系中心管理员。</translation>
    </message>
    <message>
      <source>The district hub refused the request: {detail}</source>
      <translation>分局指挥中心拒绝了请求：{detail}</translation>
    </message>
    <message>
      <source>The district hub sent an answer this program cannot read: {detail}</source>
      <translation>分局指挥中心返回了无法识别的应答：{detail}</translation>
    </message>
    <message>
      <source>The hub already holds a different change with the same number: {detail}</source>
      <translation>指挥中心已有同一序号的另一条变更：{detail}</translation>
    </message>
    <message>
      <source>The hub is missing earlier changes: {detail}</source>
      <translation>指挥中心缺少更早的变更：{detail}</translation>
    </message>
    <message>
      <source>The hub does not know this station database; a full resync is needed.</source>
      <translation>指挥中心不认识本所数据库，需要完整重新同步。</translation>
    </message>
    <message>
      <source>This computer's clock is far ahead of the hub's: {detail}</source>
      <translation>本机时钟比指挥中心快太多：{detail}</translation>
    </message>
    <message>
      <source>The district hub rejected the changes: {detail}</source>
      <translation>分局指挥中心拒绝了这些变更：{detail}</translation>
    </message>
  </context>
  <context>
    <name>users_view</name>
    <message>
      <source>Active</source>
      <translation>在用</translation>
    </message>
    <message>
      <source>Last sign-in</source>
      <translation>最近登录</translation>
    </message>
  </context>
  <context>
    <name>validation</name>
    <message>
      <source>A GB/T 28181 device ID has exactly 20 digits; '{value}' does not.</source>
      <translation>GB/T 28181 设备编码必须是 20 位数字，“{value}”不符合。</translation>
    </message>
    <message>
      <source>GB/T 28181 device ID {value}: '{code}' is not a province code.</source>
      <translation>GB/T 28181 设备编码 {value}：“{code}”不是有效的省级行政区划代码。</translation>
    </message>
    <message>
      <source>GB/T 28181 device ID {value}: type code {code} is not a camera (131 or 132).</source>
      <translation>GB/T 28181 设备编码 {value}：类型码 {code} 不是摄像机（应为 131 或 132）。</translation>
    </message>
    <message>
      <source>'{value}' is not a MAC address (12 hex digits).</source>
      <translation>“{value}”不是 MAC 地址（应为 12 位十六进制数字）。</translation>
    </message>
    <message>
      <source>'{value}' is not an ONVIF address (http://host[:port]/onvif/device_service).</source>
      <translation>“{value}”不是 ONVIF 地址（http://主机[:端口]/onvif/device_service）。</translation>
    </message>
    <message>
      <source>'{value}' has an invalid port.</source>
      <translation>“{value}”的端口无效。</translation>
    </message>
    <message>
      <source>'{value}' is not a stream address (rtsp://…).</source>
      <translation>“{value}”不是视频流地址（rtsp://…）。</translation>
    </message>
    <message>
      <source>'{value}' is not a date (YYYY-MM-DD).</source>
      <translation>“{value}”不是日期（格式：年-月-日，如 2024-05-01）。</translation>
    </message>
    <message>
      <source>'{value}' is not a number.</source>
      <translation>“{value}”不是数字。</translation>
    </message>
    <message>
      <source>{value} is outside -{limit}…{limit}.</source>
      <translation>{value} 超出范围 -{limit}…{limit}。</translation>
    </message>
    <message>
      <source>'{value}' is not a phone number.</source>
      <translation>“{value}”不是电话号码。</translation>
    </message>
    <message>
      <source>{field} must not be empty.</source>
      <translation>{field}不能为空。</translation>
    </message>
    <message>
      <source>{field} is longer than {n} characters.</source>
      <translation>{field}超过 {n} 个字符。</translation>
    </message>
    <message>
      <source>'{value}' is not a valid {field} (one of: {allowed}).</source>
      <translation>“{value}”不是有效的{field}（可选：{allowed}）。</translation>
    </message>
    <message>
      <source>'{value}' is not yes/no.</source>
      <translation>“{value}”不是“是/否”。</translation>
    </message>
  </context>
  <context>
    <name>wall</name>
    <message>
      <source>The snapshot is not a JPEG picture.</source>
      <translation>抓拍的图片不是 JPEG 格式。</translation>
    </message>
    <message>
      <source>A view needs a name of 1 to {n} characters.</source>
      <translation>视图名称须为 1 到 {n} 个字符。</translation>
    </message>
    <message>
      <source>There is no saved view called {name}.</source>
      <translation>没有名为 {name} 的已保存视图。</translation>
    </message>
    <message>
      <source>Unknown stream {stream}.</source>
      <translation>未知码流 {stream}。</translation>
    </message>
    <message>
      <source>The record {id} no longer exists.</source>
      <translation>记录 {id} 已不存在。</translation>
    </message>
    <message>
      <source>The snapshot could not be saved to {path}: {reason}. Nothing was recorded.</source>
      <translation>抓拍无法保存到 {path}：{reason}。未记录任何内容。</translation>
    </message>
    <message>
      <source>The saved layout cannot be read.</source>
      <translation>无法读取已保存的布局。</translation>
    </message>
    <message>
      <source>There is no layout called {name}.</source>
      <translation>没有名为 {name} 的布局。</translation>
    </message>
    <message>
      <source>A layout has between 1 and {n} rows and columns.</source>
      <translation>布局的行数和列数须在 1 到 {n} 之间。</translation>
    </message>
    <message>
      <source>A layout needs at least one tile.</source>
      <translation>布局至少需要一个窗格。</translation>
    </message>
    <message>
      <source>Tile {n} lies outside the grid.</source>
      <translation>第 {n} 个窗格超出了网格。</translation>
    </message>
    <message>
      <source>Tile {n} overlaps another tile.</source>
      <translation>第 {n} 个窗格与其他窗格重叠。</translation>
    </message>
    <message>
      <source>These tiles cannot be joined: another tile sits across them.</source>
      <translation>无法合并这些窗格：有其他窗格横跨其间。</translation>
    </message>
    <message>
      <source>Camera {name} has no stream address: provision it first.</source>
      <translation>摄像机 {name} 没有码流地址：请先接入配置。</translation>
    </message>
    <message>
      <source>Camera cannot be reached: check power and cable.</source>
      <translation>摄像机无法连接：请检查电源和线缆。</translation>
    </message>
    <message>
      <source>Camera refused the user name or password.</source>
      <translation>摄像机拒绝了用户名或密码。</translation>
    </message>
    <message>
      <source>The camera has no stream at this address.</source>
      <translation>该地址上没有此摄像机的码流。</translation>
    </message>
    <message>
      <source>The camera stopped sending video.</source>
      <translation>摄像机停止发送视频。</translation>
    </message>
    <message>
      <source>The camera sends a video format the console cannot show.</source>
      <translation>摄像机发送的视频格式无法显示。</translation>
    </message>
    <message>
      <source>The camera sends a damaged stream.</source>
      <translation>摄像机发送的码流已损坏。</translation>
    </message>
    <message>
      <source>The camera did not answer in time.</source>
      <translation>摄像机未及时响应。</translation>
    </message>
    <message>
      <source>The picture could not be captured; try again.</source>
      <translation>无法抓取画面，请重试。</translation>
    </message>
  </context>
</TS>
