<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>BuildProject</name>
    <message>
        <source>A province&apos;s own taxonomy (elements of the subtypes); the national default is used when empty.</source>
        <translation>本省的分区分类体系文件（各类型所属要素）；为空时使用国家默认分类。</translation>
    </message>
    <message>
        <source>Admission-list library folder</source>
        <translation>生态环境准入清单库文件夹</translation>
    </message>
    <message>
        <source>Build the one-map project (一张图)</source>
        <translation>生成“一张图”工程</translation>
    </message>
    <message>
        <source>Control units</source>
        <translation>环境管控单元</translation>
    </message>
    <message>
        <source>Map title</source>
        <translation>地图标题</translation>
    </message>
    <message>
        <source>Number of layers in the project</source>
        <translation>工程中的图层数</translation>
    </message>
    <message>
        <source>Outputs of &apos;Standardize element zones&apos; (field YSXL); each layer goes to the group of its element.</source>
        <translation>“标准化环境要素管控分区”的输出（YSXL 字段）；每个图层放入其所属要素的图层组。</translation>
    </message>
    <message>
        <source>Project file</source>
        <translation>工程文件</translation>
    </message>
    <message>
        <source>Standardized element zones</source>
        <translation>标准化的环境要素管控分区</translation>
    </message>
    <message>
        <source>Taxonomy file (YAML)</source>
        <translation>分类体系文件（YAML）</translation>
    </message>
    <message>
        <source>The .qgz to write; memory layers and the list texts are stored in GeoPackages next to it.</source>
        <translation>要写出的 .qgz 工程文件；临时图层和清单文本存入其旁的 GeoPackage。</translation>
    </message>
    <message>
        <source>The unit layer of &apos;Delineate environmental control units&apos; (HJGKDYBM, ZHGKDYFL, …).</source>
        <translation>“划定环境管控单元”输出的单元图层（HJGKDYBM、ZHGKDYFL 等）。</translation>
    </message>
    <message>
        <source>Title of the class map layout.</source>
        <translation>分类图打印布局的标题。</translation>
    </message>
    <message>
        <source>When given, the four list texts of every unit are joined to the units (a table next to the project).</source>
        <translation>提供时，将每个单元四个维度的清单文本连接到单元图层（表格存放在工程文件旁）。</translation>
    </message>
</context>
<context>
    <name>CheckFiling</name>
    <message>
        <source>A report for the receiving department: the package, its metadata, counts per kind and every problem.</source>
        <translation>供接收部门查阅的报告：备案材料包、元数据、各类问题数量及全部问题。</translation>
    </message>
    <message>
        <source>Check filing package</source>
        <translation>检查备案材料包</translation>
    </message>
    <message>
        <source>Filing package (.zip)</source>
        <translation>备案材料包（.zip）</translation>
    </message>
    <message>
        <source>Gap and overlap tolerance (m²)</source>
        <translation>缝隙与重叠容差（平方米）</translation>
    </message>
    <message>
        <source>Gaps, overlaps and areas outside a county smaller than this are rounding and not reported.</source>
        <translation>小于此值的缝隙、重叠及县界外面积视为计算误差，不予报告。</translation>
    </message>
    <message>
        <source>HTML report</source>
        <translation>HTML 报告</translation>
    </message>
    <message>
        <source>Number of problems</source>
        <translation>问题数量</translation>
    </message>
    <message>
        <source>One row per problem: kind, file of the package, reference (unit code, field, county…) and message.</source>
        <translation>每个问题一行：类型、材料包中的文件、对象（单元编码、字段、县区等）及说明。</translation>
    </message>
    <message>
        <source>Package problems</source>
        <translation>材料包问题</translation>
    </message>
    <message>
        <source>Problems: area_mismatch</source>
        <translation>问题数：面积不符</translation>
    </message>
    <message>
        <source>Problems: bad_code</source>
        <translation>问题数：编码错误</translation>
    </message>
    <message>
        <source>Problems: bad_layer</source>
        <translation>问题数：图层错误</translation>
    </message>
    <message>
        <source>Problems: class_mismatch</source>
        <translation>问题数：类别与编码不符</translation>
    </message>
    <message>
        <source>Problems: county_mismatch</source>
        <translation>问题数：县级代码不符</translation>
    </message>
    <message>
        <source>Problems: crosses_county</source>
        <translation>问题数：跨县界</translation>
    </message>
    <message>
        <source>Problems: crs</source>
        <translation>问题数：坐标系错误</translation>
    </message>
    <message>
        <source>Problems: duplicate_code</source>
        <translation>问题数：编码重复</translation>
    </message>
    <message>
        <source>Problems: empty_geometry</source>
        <translation>问题数：空几何</translation>
    </message>
    <message>
        <source>Problems: extra_file</source>
        <translation>问题数：多余文件</translation>
    </message>
    <message>
        <source>Problems: gap</source>
        <translation>问题数：缝隙</translation>
    </message>
    <message>
        <source>Problems: hash_mismatch</source>
        <translation>问题数：校验值不符</translation>
    </message>
    <message>
        <source>Problems: invalid_geometry</source>
        <translation>问题数：无效几何</translation>
    </message>
    <message>
        <source>Problems: list_duplicate</source>
        <translation>问题数：清单重复</translation>
    </message>
    <message>
        <source>Problems: list_unreadable</source>
        <translation>问题数：清单无法读取</translation>
    </message>
    <message>
        <source>Problems: list_without_unit</source>
        <translation>问题数：清单无对应单元</translation>
    </message>
    <message>
        <source>Problems: manifest_invalid</source>
        <translation>问题数：文件清单格式错误</translation>
    </message>
    <message>
        <source>Problems: manifest_missing</source>
        <translation>问题数：缺少文件清单</translation>
    </message>
    <message>
        <source>Problems: metadata_invalid</source>
        <translation>问题数：元数据错误</translation>
    </message>
    <message>
        <source>Problems: metadata_missing</source>
        <translation>问题数：缺少元数据</translation>
    </message>
    <message>
        <source>Problems: missing_field</source>
        <translation>问题数：缺少字段</translation>
    </message>
    <message>
        <source>Problems: missing_file</source>
        <translation>问题数：缺少文件</translation>
    </message>
    <message>
        <source>Problems: not_in_list</source>
        <translation>问题数：单元不在清单表中</translation>
    </message>
    <message>
        <source>Problems: outside_admin</source>
        <translation>问题数：超出行政区</translation>
    </message>
    <message>
        <source>Problems: overlap</source>
        <translation>问题数：重叠</translation>
    </message>
    <message>
        <source>Problems: shp_mismatch</source>
        <translation>问题数：Shapefile 副本不一致</translation>
    </message>
    <message>
        <source>Problems: size_mismatch</source>
        <translation>问题数：文件大小不符</translation>
    </message>
    <message>
        <source>Problems: sliver</source>
        <translation>问题数：细碎图斑</translation>
    </message>
    <message>
        <source>The filing package to verify: a .zip with data/, tables/, maps/, metadata.json, validation.html and manifest.json.</source>
        <translation>待核验的备案材料包：包含 data/、tables/、maps/、metadata.json、validation.html 和 manifest.json 的 .zip 文件。</translation>
    </message>
</context>
<context>
    <name>CheckLists</name>
    <message>
        <source>Admission-list library folder</source>
        <translation>生态环境准入清单库文件夹</translation>
    </message>
    <message>
        <source>Check admission lists</source>
        <translation>检查生态环境准入清单</translation>
    </message>
    <message>
        <source>Control units</source>
        <translation>环境管控单元</translation>
    </message>
    <message>
        <source>List problems</source>
        <translation>清单问题</translation>
    </message>
    <message>
        <source>Number of errors</source>
        <translation>错误数量</translation>
    </message>
    <message>
        <source>Number of problems</source>
        <translation>问题数量</translation>
    </message>
    <message>
        <source>Number of warnings</source>
        <translation>警告数量</translation>
    </message>
    <message>
        <source>One row per problem: severity, kind, file, line, clause id or unit code, message.</source>
        <translation>每个问题一行：严重程度、类型、文件、行号、条款编号或单元编码、说明。</translation>
    </message>
    <message>
        <source>The folder holding library.yaml and the list files.</source>
        <translation>存放 library.yaml 及各清单文件的文件夹。</translation>
    </message>
    <message>
        <source>The unit layer (field HJGKDYBM; ZHGKDYFL and GKDYLX are used when present).</source>
        <translation>环境管控单元图层（需有 HJGKDYBM 字段；如有 ZHGKDYFL 和 GKDYLX 字段也会使用）。</translation>
    </message>
</context>
<context>
    <name>CompareVersions</name>
    <message>
        <source>A unit layer (HJGKDYBM, ZHGKDYFL, GKDYLX, XZQDM).</source>
        <translation>环境管控单元图层（HJGKDYBM、ZHGKDYFL、GKDYLX、XZQDM）。</translation>
    </message>
    <message>
        <source>Admission lists, new version</source>
        <translation>新版生态环境准入清单</translation>
    </message>
    <message>
        <source>Admission lists, previous version</source>
        <translation>原版生态环境准入清单</translation>
    </message>
    <message>
        <source>Changed areas</source>
        <translation>变化区域</translation>
    </message>
    <message>
        <source>Changed units</source>
        <translation>发生调整的单元</translation>
    </message>
    <message>
        <source>Changes per unit code</source>
        <translation>各单元编码的变化</translation>
    </message>
    <message>
        <source>Class transitions</source>
        <translation>类别转移矩阵</translation>
    </message>
    <message>
        <source>Clause changes</source>
        <translation>条款变化</translation>
    </message>
    <message>
        <source>Clauses added, removed or changed between the libraries.</source>
        <translation>两版清单库之间新增、删除或修改的条款。</translation>
    </message>
    <message>
        <source>Compare scheme versions</source>
        <translation>比较成果版本（更新说明）</translation>
    </message>
    <message>
        <source>New codes</source>
        <translation>新增编码</translation>
    </message>
    <message>
        <source>Old × new class (and subtype) area matrix in km², one row per pair.</source>
        <translation>原类别×新类别（及类型）面积矩阵（平方公里），每个组合一行。</translation>
    </message>
    <message>
        <source>Optional library folders: with both, clause changes and units whose effective list changed are reported.</source>
        <translation>可选的清单库文件夹：两版均提供时，报告条款变化及有效清单发生变化的单元。</translation>
    </message>
    <message>
        <source>Polygons where the code, class or subtype changed, with old and new values.</source>
        <translation>编码、类别或类型发生变化的图斑，附原值与新值。</translation>
    </message>
    <message>
        <source>Priority area gained (km²)</source>
        <translation>优先保护面积增加（平方公里）</translation>
    </message>
    <message>
        <source>Priority area lost (km²)</source>
        <translation>优先保护面积减少（平方公里）</translation>
    </message>
    <message>
        <source>Priority area per county</source>
        <translation>分县优先保护面积</translation>
    </message>
    <message>
        <source>Priority protection area before and after, lost and gained.</source>
        <translation>调整前后的优先保护单元面积及其减少量和增加量。</translation>
    </message>
    <message>
        <source>Retired codes</source>
        <translation>撤销的编码</translation>
    </message>
    <message>
        <source>Status and lineage of every code of either version.</source>
        <translation>两个版本中每个编码的状态及其来源去向。</translation>
    </message>
    <message>
        <source>Summary, transition table, largest changes, list changes and the priority indicator.</source>
        <translation>概要、类别转移表、主要变化、清单变化及优先保护指标。</translation>
    </message>
    <message>
        <source>Units, new version</source>
        <translation>新版环境管控单元</translation>
    </message>
    <message>
        <source>Units, previous version</source>
        <translation>原版环境管控单元</translation>
    </message>
    <message>
        <source>Update explanation (更新说明)</source>
        <translation>Update explanation (更新说明)</translation>
    </message>
</context>
<context>
    <name>DelineateUnits</name>
    <message>
        <source>A province&apos;s own taxonomy; the national default is used when empty.</source>
        <translation>本省的分区分类体系文件；为空时使用国家默认分类。</translation>
    </message>
    <message>
        <source>Address of a dask.distributed scheduler, e.g. tcp://10.0.0.5:8786: the county tasks run on its workers (each needs this plugin and the same Python packages; see the README). Empty: this machine.</source>
        <translation>dask.distributed 调度器地址，如 tcp://10.0.0.5:8786：各县任务在其工作节点上计算（每个节点需安装本插件和相同的 Python 包，见 README）。为空：在本机计算。</translation>
    </message>
    <message>
        <source>Admin areas (counties)</source>
        <translation>行政区（县级）</translation>
    </message>
    <message>
        <source>Area of class 1 units (km²)</source>
        <translation>优先保护单元面积（平方公里）</translation>
    </message>
    <message>
        <source>Area of class 2 units (km²)</source>
        <translation>重点管控单元面积（平方公里）</translation>
    </message>
    <message>
        <source>Area of class 3 units (km²)</source>
        <translation>一般管控单元面积（平方公里）</translation>
    </message>
    <message>
        <source>Codes of previous units no new unit matches: retired, never to be reused.</source>
        <translation>没有新单元与之对应的原单元编码：予以撤销，永不复用。</translation>
    </message>
    <message>
        <source>Comma-separated taxonomy keys whose fragments are kept even when small.</source>
        <translation>以逗号分隔的分类键，其碎图斑即使面积很小也予以保留。</translation>
    </message>
    <message>
        <source>Comma-separated taxonomy keys; each feature of these becomes one key unit named after it.</source>
        <translation>以逗号分隔的分类键；这些类型的每个要素单独成为一个以其名称命名的重点管控单元。</translation>
    </message>
    <message>
        <source>Counties are independent tasks, run in this many worker processes on this machine (1: inside this process). Not used with a SCHEDULER.</source>
        <translation>各县是相互独立的任务，在本机以此数量的工作进程并行计算（1：在当前进程内计算）。设置 SCHEDULER 时不使用。</translation>
    </message>
    <message>
        <source>County code field</source>
        <translation>县级行政区代码字段</translation>
    </message>
    <message>
        <source>County name field</source>
        <translation>县名称字段</translation>
    </message>
    <message>
        <source>County polygons with 6-digit GB/T 2260 codes: the area to partition.</source>
        <translation>带 6 位 GB/T 2260 行政区划代码的县级面：待划分的区域。</translation>
    </message>
    <message>
        <source>Dask scheduler (empty = this machine)</source>
        <translation>Dask 调度器（为空 = 本机）</translation>
    </message>
    <message>
        <source>Delineate environmental control units</source>
        <translation>划定环境管控单元</translation>
    </message>
    <message>
        <source>Environmental control units</source>
        <translation>环境管控单元</translation>
    </message>
    <message>
        <source>Every fragment merged or kept, and every unit flagged for review, with its geometry.</source>
        <translation>每个被合并或保留的碎图斑，以及每个被标记待核查的单元，附其几何。</translation>
    </message>
    <message>
        <source>Field with the 6-digit county code.</source>
        <translation>存放 6 位县级行政区代码的字段。</translation>
    </message>
    <message>
        <source>Fragment area (m²)</source>
        <translation>碎图斑面积阈值（平方米）</translation>
    </message>
    <message>
        <source>Fragment merge log</source>
        <translation>碎图斑合并记录</translation>
    </message>
    <message>
        <source>Number of units</source>
        <translation>单元数量</translation>
    </message>
    <message>
        <source>One unit per connected part</source>
        <translation>每个连通部分单独成为一个单元</translation>
    </message>
    <message>
        <source>Optional field copied to the units&apos; CITY field and used in unit names.</source>
        <translation>可选字段，复制到单元的 CITY 字段并用于单元命名。</translation>
    </message>
    <message>
        <source>Optional field copied to the units&apos; COUNTY field and used in unit names.</source>
        <translation>可选字段，复制到单元的 COUNTY 字段并用于单元命名。</translation>
    </message>
    <message>
        <source>Optional field copied to the units&apos; PROV field and used in unit names.</source>
        <translation>可选字段，复制到单元的 PROV 字段并用于单元命名。</translation>
    </message>
    <message>
        <source>Outputs of &apos;Standardize element zones&apos; (fields YSBM, YSXL, YSMC), one or more layers.</source>
        <translation>“标准化环境要素管控分区”的输出（字段 YSBM、YSXL、YSMC），一个或多个图层。</translation>
    </message>
    <message>
        <source>Overlap share to keep a code</source>
        <translation>沿用编码所需的重叠比例</translation>
    </message>
    <message>
        <source>Pieces smaller than this merge into the neighbouring unit with the longest shared boundary.</source>
        <translation>小于此面积的图斑并入公共边最长的相邻单元。</translation>
    </message>
    <message>
        <source>Prefecture name field</source>
        <translation>地市名称字段</translation>
    </message>
    <message>
        <source>Previous version of the units</source>
        <translation>上一版环境管控单元</translation>
    </message>
    <message>
        <source>Province name field</source>
        <translation>省名称字段</translation>
    </message>
    <message>
        <source>Retired codes</source>
        <translation>撤销的编码</translation>
    </message>
    <message>
        <source>Review area (m²)</source>
        <translation>待核查面积阈值（平方米）</translation>
    </message>
    <message>
        <source>Share of the larger of the two units their overlap must reach for the new unit to keep the old code.</source>
        <translation>新单元沿用原编码时，两单元重叠面积须达到其中较大单元面积的比例。</translation>
    </message>
    <message>
        <source>Standardized element zones</source>
        <translation>标准化的环境要素管控分区</translation>
    </message>
    <message>
        <source>Subtypes never absorbed</source>
        <translation>不被合并的类型</translation>
    </message>
    <message>
        <source>Subtypes whose features are units of their own</source>
        <translation>每个要素单独成为单元的类型</translation>
    </message>
    <message>
        <source>Taxonomy file (YAML)</source>
        <translation>分类体系文件（YAML）</translation>
    </message>
    <message>
        <source>Units of the previous version: a new unit that matches one (same county and class, overlap of at least MATCH_SHARE of the larger; a named unit by its name) keeps its code; new units get serials after the highest ever used (field ZDXH), so retired codes are never reused.</source>
        <translation>上一版环境管控单元：与其中某单元对应的新单元（同县、同类别，重叠面积不低于较大单元面积的 MATCH_SHARE；具名单元按名称对应）沿用其编码；新单元的序号接续历史最大序号（ZDXH 字段），撤销的编码永不复用。</translation>
    </message>
    <message>
        <source>Units smaller than this are flagged for review (BZ field and MERGE_LOG).</source>
        <translation>小于此面积的单元标记为待核查（BZ 字段及 MERGE_LOG）。</translation>
    </message>
    <message>
        <source>Units that kept a previous code</source>
        <translation>沿用原编码的单元</translation>
    </message>
    <message>
        <source>Units with a new code</source>
        <translation>新编码单元</translation>
    </message>
    <message>
        <source>Units with the fields of the national practice (HJGKDYBM, HJGKDYMC, ZHGKDYFL, …) in EPSG:4490.</source>
        <translation>采用全国通行字段（HJGKDYBM、HJGKDYMC、ZHGKDYFL 等）的环境管控单元，坐标系 EPSG:4490。</translation>
    </message>
    <message>
        <source>Version (BBH)</source>
        <translation>版本号（BBH）</translation>
    </message>
    <message>
        <source>Version label written to every unit&apos;s BBH field.</source>
        <translation>写入每个单元 BBH 字段的版本号。</translation>
    </message>
    <message>
        <source>When checked, every connected part becomes a unit of its own instead of multipart units.</source>
        <translation>勾选后，每个连通部分单独成为一个单元，而不是组成多部件单元。</translation>
    </message>
    <message>
        <source>Worker processes (0 = all cores)</source>
        <translation>工作进程数（0 = 全部核心）</translation>
    </message>
</context>
<context>
    <name>EcoZoning</name>
    <message>
        <source>Add clause {}</source>
        <translation>添加条款 {}</translation>
    </message>
    <message>
        <source>Could not register the Processing provider &apos;ecozoning&apos;: is another copy of the plugin loaded?</source>
        <translation>无法注册处理工具提供者“ecozoning”：是否已加载了该插件的另一副本？</translation>
    </message>
    <message>
        <source>Delete clause {}</source>
        <translation>删除条款 {}</translation>
    </message>
    <message>
        <source>Delineate control units…</source>
        <translation>划定环境管控单元…</translation>
    </message>
    <message>
        <source>EcoZoning 生态环境分区管控</source>
        <translation>EcoZoning 生态环境分区管控</translation>
    </message>
    <message>
        <source>Edit clause {}</source>
        <translation>编辑条款 {}</translation>
    </message>
    <message>
        <source>Move clause {}</source>
        <translation>移动条款 {}</translation>
    </message>
    <message>
        <source>Standardize element zones…</source>
        <translation>标准化环境要素管控分区…</translation>
    </message>
    <message>
        <source>Validate control units…</source>
        <translation>检查环境管控单元…</translation>
    </message>
    <message>
        <source>{} 不是准入清单库（缺少 library.yaml） is not a library folder</source>
        <translation>{} 不是准入清单库（缺少 library.yaml）</translation>
    </message>
    <message>
        <source>{} 个问题 problems</source>
        <translation>{} 个问题</translation>
    </message>
    <message>
        <source>上移 Move up</source>
        <translation>上移</translation>
    </message>
    <message>
        <source>下移 Move down</source>
        <translation>下移</translation>
    </message>
    <message>
        <source>以下文件在载入后已被其他程序修改：
{files}

覆盖将丢弃他人的修改（保留 .bak 备份）；重新载入将丢弃您的修改。
These files changed on disk since they were loaded. Overwrite them (a .bak copy is kept), reload them (your edits are lost), or cancel?</source>
        <translation>以下文件在载入后已被其他程序修改：
{files}

覆盖将丢弃他人的修改（保留 .bak 备份）；重新载入将丢弃您的修改。
These files changed on disk since they were loaded. Overwrite them (a .bak copy is kept), reload them (your edits are lost), or cancel?</translation>
    </message>
    <message>
        <source>位置 Where</source>
        <translation>位置</translation>
    </message>
    <message>
        <source>使用所选要素 Use the selected feature</source>
        <translation>使用所选要素</translation>
    </message>
    <message>
        <source>保存 Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>公顷 ha</source>
        <translation>公顷</translation>
    </message>
    <message>
        <source>其他（维度未知） Other (unknown dimension)</source>
        <translation>其他（维度未知）</translation>
    </message>
    <message>
        <source>准入清单 Admission lists</source>
        <translation>准入清单</translation>
    </message>
    <message>
        <source>准入清单面板 Admission lists</source>
        <translation>准入清单面板</translation>
    </message>
    <message>
        <source>分类 Class</source>
        <translation>分类</translation>
    </message>
    <message>
        <source>删除 Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>判定不通过 Fail</source>
        <translation>判定不通过</translation>
    </message>
    <message>
        <source>判定通过 Pass</source>
        <translation>判定通过</translation>
    </message>
    <message>
        <source>区县 County</source>
        <translation>区县</translation>
    </message>
    <message>
        <source>区域 Region {}</source>
        <translation>区域 Region {}</translation>
    </message>
    <message>
        <source>单元 Unit</source>
        <translation>单元</translation>
    </message>
    <message>
        <source>单元 Unit {}</source>
        <translation>单元 Unit {}</translation>
    </message>
    <message>
        <source>单元 {} 不在图层中 Unit {} is not in the layer</source>
        <translation>单元 {} 不在图层中 Unit {} is not in the layer</translation>
    </message>
    <message>
        <source>单元图层 Unit layer</source>
        <translation>单元图层</translation>
    </message>
    <message>
        <source>单元外 Outside the units {:.2f} %</source>
        <translation>单元外 Outside the units {:.2f} %</translation>
    </message>
    <message>
        <source>占单元 Share of unit</source>
        <translation>占单元</translation>
    </message>
    <message>
        <source>占项目 Share of project</source>
        <translation>占项目</translation>
    </message>
    <message>
        <source>双击以在地图上选择单元 Double-click to select the unit on the map</source>
        <translation>双击以在地图上选择单元</translation>
    </message>
    <message>
        <source>取消 Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>受限准入 Conditional admission</source>
        <translation>受限准入</translation>
    </message>
    <message>
        <source>名称 Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>否 no</source>
        <translation>否</translation>
    </message>
    <message>
        <source>含 YSXL 字段的面图层；勾选后按分区本身判断红线和水优先保护区 Polygon layers with YSXL</source>
        <translation>含 YSXL 字段的面图层；勾选后按分区本身判断红线和水优先保护区</translation>
    </message>
    <message>
        <source>国民经济行业分类 GB/T 4754 代码，如 C2520 GB/T 4754 industry code</source>
        <translation>国民经济行业分类 GB/T 4754 代码，如</translation>
    </message>
    <message>
        <source>图层 {name} 没有 {field} 字段，不是管控单元图层 {name} has no {field} field: not a unit layer</source>
        <translation>图层 {name} 没有 {field} 字段，不是管控单元图层 {name} has no {field} field: not a unit layer</translation>
    </message>
    <message>
        <source>图层没有 {} 字段或单元 The layer has no {} units</source>
        <translation>图层没有 {} 字段或单元 The layer has no {} units</translation>
    </message>
    <message>
        <source>在地图上或表中选择一个单元 Pick a unit on the map or in the table</source>
        <translation>在地图上或表中选择一个单元</translation>
    </message>
    <message>
        <source>在地图上点选要素 Pick a feature on the map</source>
        <translation>在地图上点选要素</translation>
    </message>
    <message>
        <source>在地图上选择单元 Pick a unit on the map</source>
        <translation>在地图上选择单元</translation>
    </message>
    <message>
        <source>对象 Ref</source>
        <translation>对象</translation>
    </message>
    <message>
        <source>层级 Level</source>
        <translation>层级</translation>
    </message>
    <message>
        <source>层级 Level </source>
        <translation>层级</translation>
    </message>
    <message>
        <source>已保存 Saved: {}</source>
        <translation>已保存 Saved: {}</translation>
    </message>
    <message>
        <source>已取消 Canceled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <source>已在本层级的首/末位 Already first/last at its level</source>
        <translation>已在本层级的首/末位</translation>
    </message>
    <message>
        <source>已就绪 Ready: {units} 个单元 units, {zones} 个分区 zones, 清单库 library: {library}</source>
        <translation>已就绪 Ready: {units} 个单元 units, {zones} 个分区 zones, 清单库 library: {library}</translation>
    </message>
    <message>
        <source>已载入 Loaded {name}: {files} 个文件 files, {n} 个问题 problems</source>
        <translation>已载入 Loaded {name}: {files} 个文件 files, {n} 个问题</translation>
    </message>
    <message>
        <source>市级 Prefecture {}</source>
        <translation>市级 Prefecture {}</translation>
    </message>
    <message>
        <source>建立研判索引 Indexing for quick screening</source>
        <translation>建立研判索引</translation>
    </message>
    <message>
        <source>影响多个单元 Affects several units</source>
        <translation>影响多个单元</translation>
    </message>
    <message>
        <source>待补充信息 Information needed</source>
        <translation>待补充信息</translation>
    </message>
    <message>
        <source>快速研判 Quick screen</source>
        <translation>快速研判</translation>
    </message>
    <message>
        <source>报告保存到 Write the report to</source>
        <translation>报告保存到</translation>
    </message>
    <message>
        <source>报告已写入 Report written: {} , {}</source>
        <translation>报告已写入 Report written: {} , {}</translation>
    </message>
    <message>
        <source>拾取图层 Pick from</source>
        <translation>拾取图层</translation>
    </message>
    <message>
        <source>搜索单元（编码、名称、区县） Search units</source>
        <translation>搜索单元（编码、名称、区县）</translation>
    </message>
    <message>
        <source>撤销 Undo</source>
        <translation>撤销</translation>
    </message>
    <message>
        <source>放弃未保存的修改吗？ Discard the unsaved changes?</source>
        <translation>放弃未保存的修改吗？</translation>
    </message>
    <message>
        <source>文件已被修改 Files changed on disk</source>
        <translation>文件已被修改</translation>
    </message>
    <message>
        <source>新条款添加到的清单 The list a new clause is added to</source>
        <translation>新条款添加到的清单</translation>
    </message>
    <message>
        <source>无有效范围 No usable footprint</source>
        <translation>无有效范围</translation>
    </message>
    <message>
        <source>无法保存 Cannot save: {}</source>
        <translation>无法保存 Cannot save: {}</translation>
    </message>
    <message>
        <source>无法写入报告 Cannot write the report: {}</source>
        <translation>无法写入报告 Cannot write the report: {}</translation>
    </message>
    <message>
        <source>无法将范围转换到 EPSG:4490 Cannot reproject the footprint from {}</source>
        <translation>无法将范围转换到 EPSG:4490 Cannot reproject the footprint from {}</translation>
    </message>
    <message>
        <source>无法读取范围 Unreadable footprint: {}</source>
        <translation>无法读取范围 Unreadable footprint: {}</translation>
    </message>
    <message>
        <source>是 yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>替代 Replaces (clause id)</source>
        <translation>替代</translation>
    </message>
    <message>
        <source>替代 Replaces: {}</source>
        <translation>替代 Replaces: {}</translation>
    </message>
    <message>
        <source>未保存 Not saved: {}</source>
        <translation>未保存 Not saved: {}</translation>
    </message>
    <message>
        <source>未保存的修改 Unsaved changes</source>
        <translation>未保存的修改</translation>
    </message>
    <message>
        <source>未知 unknown: {}</source>
        <translation>未知 unknown: {}</translation>
    </message>
    <message>
        <source>未选择 none</source>
        <translation>未选择</translation>
    </message>
    <message>
        <source>条款 Clause</source>
        <translation>条款</translation>
    </message>
    <message>
        <source>条款 Clauses</source>
        <translation>条款</translation>
    </message>
    <message>
        <source>条款 {id} 属于{level}清单，修改将影响 {n} 个管控单元。确定继续吗？
Clause {id} is in the {level_en} list: the change affects {n} control units. Continue?</source>
        <translation>条款 {id} 属于{level}清单，修改将影响 {n} 个管控单元。确定继续吗？
Clause {id} is in the {level_en} list: the change affects {n} control units. Continue?</translation>
    </message>
    <message>
        <source>条款 {} 已添加，但其筛选条件不适用于本单元 Added; its filters exclude this unit</source>
        <translation>条款 {} 已添加，但其筛选条件不适用于本单元</translation>
    </message>
    <message>
        <source>条款不按行业区分 The clause applies to every industry</source>
        <translation>条款不按行业区分</translation>
    </message>
    <message>
        <source>条款内容 Text</source>
        <translation>条款内容</translation>
    </message>
    <message>
        <source>来源 Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <source>来源 Source: {}</source>
        <translation>来源 Source: {}</translation>
    </message>
    <message>
        <source>检查 Validate</source>
        <translation>检查</translation>
    </message>
    <message>
        <source>正在建立索引 Indexing …</source>
        <translation>正在建立索引</translation>
    </message>
    <message>
        <source>正在载入 Loading {} …</source>
        <translation>正在载入 Loading {} …</translation>
    </message>
    <message>
        <source>此问题不涉及图层中的单元 This problem concerns no unit of the layer</source>
        <translation>此问题不涉及图层中的单元</translation>
    </message>
    <message>
        <source>涉及单元 Units: {}</source>
        <translation>涉及单元 Units: {}</translation>
    </message>
    <message>
        <source>涉及环境管控单元 Units</source>
        <translation>涉及环境管控单元</translation>
    </message>
    <message>
        <source>涉及要素管控分区 Element zones</source>
        <translation>涉及要素管控分区</translation>
    </message>
    <message>
        <source>添加 Add</source>
        <translation>添加</translation>
    </message>
    <message>
        <source>添加条款：{} Add a clause</source>
        <translation>添加条款：{} Add a clause</translation>
    </message>
    <message>
        <source>清单库 Library</source>
        <translation>清单库</translation>
    </message>
    <message>
        <source>清单库有 {} 个文件无法读取 {} library files could not be read</source>
        <translation>清单库有 {} 个文件无法读取 {} library files could not be read</translation>
    </message>
    <message>
        <source>清除 Clear</source>
        <translation>清除</translation>
    </message>
    <message>
        <source>点数 Points</source>
        <translation>点数</translation>
    </message>
    <message>
        <source>点数 Points {:,.0f}</source>
        <translation>点数 Points {:,.0f}</translation>
    </message>
    <message>
        <source>点选或使用所选要素的图层 The layer to pick features from</source>
        <translation>点选或使用所选要素的图层</translation>
    </message>
    <message>
        <source>生成报告 Write report</source>
        <translation>生成报告</translation>
    </message>
    <message>
        <source>省级 Province</source>
        <translation>省级</translation>
    </message>
    <message>
        <source>研判用时 Screened in {:.0f} ms</source>
        <translation>研判用时 Screened in {:.0f} ms</translation>
    </message>
    <message>
        <source>突出显示有问题的单元 Highlight units with problems</source>
        <translation>突出显示有问题的单元</translation>
    </message>
    <message>
        <source>类别 Class</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>类型 Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>类型 Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>级别 Severity</source>
        <translation>级别</translation>
    </message>
    <message>
        <source>绘制或点选一个项目范围 Draw or pick a project footprint</source>
        <translation>绘制或点选一个项目范围</translation>
    </message>
    <message>
        <source>绘制线（左键加点，右键结束） Draw a line (left click: vertex, right click: finish)</source>
        <translation>绘制线（左键加点，右键结束）</translation>
    </message>
    <message>
        <source>绘制面（左键加点，右键结束） Draw a polygon (left click: vertex, right click: finish)</source>
        <translation>绘制面（左键加点，右键结束）</translation>
    </message>
    <message>
        <source>维度 Dimension</source>
        <translation>维度</translation>
    </message>
    <message>
        <source>缓冲 Buffer</source>
        <translation>缓冲</translation>
    </message>
    <message>
        <source>编号 Id</source>
        <translation>编号</translation>
    </message>
    <message>
        <source>编码 Code</source>
        <translation>编码</translation>
    </message>
    <message>
        <source>编辑 Edit</source>
        <translation>编辑</translation>
    </message>
    <message>
        <source>编辑条款 Edit clause {}</source>
        <translation>编辑条款 Edit clause {}</translation>
    </message>
    <message>
        <source>草图 Sketch</source>
        <translation>草图</translation>
    </message>
    <message>
        <source>行业 Industries (GB/T 4754)</source>
        <translation>行业</translation>
    </message>
    <message>
        <source>行业 Industries: {}</source>
        <translation>行业 Industries: {}</translation>
    </message>
    <message>
        <source>行业代码 Industry (GB/T 4754)</source>
        <translation>行业代码</translation>
    </message>
    <message>
        <source>行业适用 Industry</source>
        <translation>行业适用</translation>
    </message>
    <message>
        <source>要素分区 Element zones</source>
        <translation>要素分区</translation>
    </message>
    <message>
        <source>覆盖 Overwrite</source>
        <translation>覆盖</translation>
    </message>
    <message>
        <source>警告 warning</source>
        <translation>警告</translation>
    </message>
    <message>
        <source>说明 Message</source>
        <translation>说明</translation>
    </message>
    <message>
        <source>请先在拾取图层中选择一个要素 Select a feature of the pick layer first</source>
        <translation>请先在拾取图层中选择一个要素</translation>
    </message>
    <message>
        <source>请选择单元图层 Choose the unit layer</source>
        <translation>请选择单元图层</translation>
    </message>
    <message>
        <source>载入准入清单 Loading admission lists</source>
        <translation>载入准入清单</translation>
    </message>
    <message>
        <source>适用准入要求 Applicable clauses</source>
        <translation>适用准入要求</translation>
    </message>
    <message>
        <source>适用分类 Classes (none: all)</source>
        <translation>适用分类</translation>
    </message>
    <message>
        <source>适用分类 Classes: {}</source>
        <translation>适用分类 Classes: {}</translation>
    </message>
    <message>
        <source>适用子类 Subtypes</source>
        <translation>适用子类</translation>
    </message>
    <message>
        <source>适用子类 Subtypes: {}</source>
        <translation>适用子类 Subtypes: {}</translation>
    </message>
    <message>
        <source>适用行业 Industries: {}</source>
        <translation>适用行业 Industries: {}</translation>
    </message>
    <message>
        <source>选中了 {n} 个要素，已研判第一个；批量研判请用“项目准入研判”算法 {n} selected: the first was screened</source>
        <translation>选中了 {n} 个要素，已研判第一个；批量研判请用“项目准入研判”算法 {n} selected: the first was screened</translation>
    </message>
    <message>
        <source>选择准入清单库文件夹 Choose the admission-list library folder</source>
        <translation>选择准入清单库文件夹</translation>
    </message>
    <message>
        <source>重做 Redo</source>
        <translation>重做</translation>
    </message>
    <message>
        <source>重新载入 Reload</source>
        <translation>重新载入</translation>
    </message>
    <message>
        <source>错误 error</source>
        <translation>错误</translation>
    </message>
    <message>
        <source>长度 Length {:,.1f} m</source>
        <translation>长度 Length {:,.1f} m</translation>
    </message>
    <message>
        <source>长度 m</source>
        <translation>长度</translation>
    </message>
    <message>
        <source>问题 Problems</source>
        <translation>问题</translation>
    </message>
    <message>
        <source>问题 Problems ({})</source>
        <translation>问题 Problems ({})</translation>
    </message>
    <message>
        <source>面积 Area {ha:,.4f} ha ({m2:,.0f} m²)</source>
        <translation>面积 Area {ha:,.4f} ha ({m2:,.0f} m²)</translation>
    </message>
    <message>
        <source>面积 m²</source>
        <translation>面积</translation>
    </message>
    <message>
        <source>项目名称 Project name</source>
        <translation>项目名称</translation>
    </message>
    <message>
        <source>项目编号 Project id</source>
        <translation>项目编号</translation>
    </message>
    <message>
        <source>（可选）标准化要素分区 (optional) standardized element zones</source>
        <translation>（可选）标准化要素分区</translation>
    </message>
    <message>
        <source>（未选择清单库，无条款 no library: no clauses）</source>
        <translation>（未选择清单库，无条款 no library: no clauses）</translation>
    </message>
</context>
<context>
    <name>EcoZoningAlgorithm</name>
    <message>
        <source>Admission lists</source>
        <translation>生态环境准入清单</translation>
    </message>
    <message>
        <source>Control units</source>
        <translation>环境管控单元</translation>
    </message>
    <message>
        <source>Element zones</source>
        <translation>环境要素管控分区</translation>
    </message>
    <message>
        <source>Filing</source>
        <translation>成果备案</translation>
    </message>
    <message>
        <source>Project screening</source>
        <translation>环境准入研判</translation>
    </message>
</context>
<context>
    <name>ExportFiling</name>
    <message>
        <source>6-digit county codes.</source>
        <translation>6 位县级行政区代码。</translation>
    </message>
    <message>
        <source>Admin areas (counties)</source>
        <translation>行政区（县级）</translation>
    </message>
    <message>
        <source>Admission-list library folder</source>
        <translation>生态环境准入清单库文件夹</translation>
    </message>
    <message>
        <source>Approval document number</source>
        <translation>批复文号</translation>
    </message>
    <message>
        <source>Code of the province or prefecture the scheme covers.</source>
        <translation>成果所覆盖的省或地市的行政区代码。</translation>
    </message>
    <message>
        <source>Control units</source>
        <translation>环境管控单元</translation>
    </message>
    <message>
        <source>County code field</source>
        <translation>县级行政区代码字段</translation>
    </message>
    <message>
        <source>County name field</source>
        <translation>县名称字段</translation>
    </message>
    <message>
        <source>Date (YYYY-MM-DD)</source>
        <translation>日期（YYYY-MM-DD）</translation>
    </message>
    <message>
        <source>Date of the package; every timestamp in it.</source>
        <translation>材料包日期，包内所有时间戳均采用此日期。</translation>
    </message>
    <message>
        <source>Element-zone layers (YSBM, YSXL…).</source>
        <translation>环境要素管控分区图层（YSBM、YSXL 等）。</translation>
    </message>
    <message>
        <source>Export filing package (备案)</source>
        <translation>Export filing package (备案)</translation>
    </message>
    <message>
        <source>Filing package (.zip)</source>
        <translation>备案材料包（.zip）</translation>
    </message>
    <message>
        <source>For the list changes of the update.</source>
        <translation>用于说明本次更新的清单变化。</translation>
    </message>
    <message>
        <source>Many receiving systems read GBK.</source>
        <translation>许多接收系统按 GBK 编码读取。</translation>
    </message>
    <message>
        <source>Optional names written to data/admin.gpkg.</source>
        <translation>可选的名称字段，写入 data/admin.gpkg。</translation>
    </message>
    <message>
        <source>Prefecture name field</source>
        <translation>地市名称字段</translation>
    </message>
    <message>
        <source>Previous admission-list library</source>
        <translation>上一版生态环境准入清单库</translation>
    </message>
    <message>
        <source>Previous version of the units</source>
        <translation>上一版环境管控单元</translation>
    </message>
    <message>
        <source>Producer</source>
        <translation>编制单位</translation>
    </message>
    <message>
        <source>Province name field</source>
        <translation>省名称字段</translation>
    </message>
    <message>
        <source>Region code (6 digits)</source>
        <translation>行政区代码（6 位）</translation>
    </message>
    <message>
        <source>Replace an existing package</source>
        <translation>覆盖已有材料包</translation>
    </message>
    <message>
        <source>Scheme level</source>
        <translation>成果层级</translation>
    </message>
    <message>
        <source>Shapefile encoding</source>
        <translation>Shapefile 编码</translation>
    </message>
    <message>
        <source>Standardized element zones</source>
        <translation>标准化的环境要素管控分区</translation>
    </message>
    <message>
        <source>The counties the units must cover.</source>
        <translation>环境管控单元必须全域覆盖的县级行政区。</translation>
    </message>
    <message>
        <source>The list library of the units.</source>
        <translation>单元对应的准入清单库。</translation>
    </message>
    <message>
        <source>The units to file (from Delineate).</source>
        <translation>待备案的环境管控单元（“划定环境管控单元”的输出）。</translation>
    </message>
    <message>
        <source>The zip to write.</source>
        <translation>要写出的 zip 文件。</translation>
    </message>
    <message>
        <source>Units in the package</source>
        <translation>材料包中的单元数</translation>
    </message>
    <message>
        <source>Update type</source>
        <translation>更新类型</translation>
    </message>
    <message>
        <source>Validation issues</source>
        <translation>检查问题</translation>
    </message>
    <message>
        <source>Version</source>
        <translation>版本号</translation>
    </message>
    <message>
        <source>Version of the scheme.</source>
        <translation>成果的版本号。</translation>
    </message>
    <message>
        <source>Who made the scheme (unit or company).</source>
        <translation>成果的编制单位（机关或公司）。</translation>
    </message>
    <message>
        <source>With it, comparison/ explains the update.</source>
        <translation>提供后，comparison/ 目录给出本次更新的更新说明。</translation>
    </message>
    <message>
        <source>Without it an existing zip is never replaced.</source>
        <translation>不勾选时，从不覆盖已有的 zip 文件。</translation>
    </message>
    <message>
        <source>e.g. 哈政发〔2024〕1号.</source>
        <translation>e.g. 哈政发〔2024〕1号.</translation>
    </message>
    <message>
        <source>initial, dynamic or periodic.</source>
        <translation>initial（首次）、dynamic（动态更新）或 periodic（定期调整）。</translation>
    </message>
    <message>
        <source>province or city.</source>
        <translation>province（省级）或 city（市级）。</translation>
    </message>
</context>
<context>
    <name>ExportListTable</name>
    <message>
        <source>A table with the four dimension texts per unit code, to join to the units.</source>
        <translation>按单元编码列出四个维度清单文本的表格，可连接到单元图层。</translation>
    </message>
    <message>
        <source>Admission-list library folder</source>
        <translation>生态环境准入清单库文件夹</translation>
    </message>
    <message>
        <source>Control units</source>
        <translation>环境管控单元</translation>
    </message>
    <message>
        <source>Export admission-list table (附表1)</source>
        <translation>Export admission-list table (附表1)</translation>
    </message>
    <message>
        <source>List texts per unit</source>
        <translation>各单元的准入清单文本</translation>
    </message>
    <message>
        <source>Number of units</source>
        <translation>单元数量</translation>
    </message>
    <message>
        <source>The .xlsx file to write (replaced atomically).</source>
        <translation>要写出的 .xlsx 文件（以原子方式替换）。</translation>
    </message>
    <message>
        <source>The folder holding library.yaml and the list files.</source>
        <translation>存放 library.yaml 及各清单文件的文件夹。</translation>
    </message>
    <message>
        <source>The unit layer (HJGKDYBM, HJGKDYMC, ZHGKDYFL, GKDYLX, CITY, COUNTY).</source>
        <translation>环境管控单元图层（HJGKDYBM、HJGKDYMC、ZHGKDYFL、GKDYLX、CITY、COUNTY）。</translation>
    </message>
    <message>
        <source>附表1 spreadsheet</source>
        <translation>附表1 spreadsheet</translation>
    </message>
</context>
<context>
    <name>ScreenProjects</name>
    <message>
        <source>A field with a unique id per project; it names the rows and the report files.</source>
        <translation>每个项目取值唯一的编号字段，用于命名结果行和报告文件。</translation>
    </message>
    <message>
        <source>A province&apos;s own verdict rules; resources/rules/verdict_rules.yaml documents the defaults.</source>
        <translation>本省的研判规则；默认规则见 resources/rules/verdict_rules.yaml。</translation>
    </message>
    <message>
        <source>Admission-list library folder</source>
        <translation>生态环境准入清单库文件夹</translation>
    </message>
    <message>
        <source>Applicable clauses</source>
        <translation>适用的清单条款</translation>
    </message>
    <message>
        <source>Buffer (m)</source>
        <translation>缓冲距离（米）</translation>
    </message>
    <message>
        <source>Buffer every footprint by this distance (metres, in the CGCS2000 Gauss-Krüger zone of the project).</source>
        <translation>按此距离对每个项目范围做缓冲（单位米，在项目所在的 CGCS2000 高斯-克吕格投影带中计算）。</translation>
    </message>
    <message>
        <source>Control units</source>
        <translation>环境管控单元</translation>
    </message>
    <message>
        <source>Element-zone hits</source>
        <translation>涉及的环境要素管控分区</translation>
    </message>
    <message>
        <source>Industry code field (GB/T 4754)</source>
        <translation>行业代码字段（GB/T 4754）</translation>
    </message>
    <message>
        <source>Intersections of each project with each element zone.</source>
        <translation>每个项目与各环境要素管控分区的相交部分。</translation>
    </message>
    <message>
        <source>Intersections of each project with each unit: measures and shares.</source>
        <translation>每个项目与各环境管控单元的相交部分：面积及占比。</translation>
    </message>
    <message>
        <source>Number of projects</source>
        <translation>项目数量</translation>
    </message>
    <message>
        <source>One row per project, unit and clause, with level, dimension, kind, text, industry match and a compliance column.</source>
        <translation>每个项目、单元和条款一行，列出层级、维度、类型、条款内容、行业匹配情况及符合性一栏。</translation>
    </message>
    <message>
        <source>One row per project: verdict, its reasons, the units hit, the share outside the units, the report file.</source>
        <translation>每个项目一行：研判结论及理由、涉及的单元、位于单元外的比例、报告文件。</translation>
    </message>
    <message>
        <source>Optional GB/T 4754 industry code such as C2511; clauses filtered by industry match it by prefix.</source>
        <translation>可选的 GB/T 4754 行业代码，如 C2511；按行业筛选的条款按前缀匹配。</translation>
    </message>
    <message>
        <source>Optional element zones (YSBM, YSXL): red-line and water-priority hits are then found on the zones themselves.</source>
        <translation>可选的环境要素管控分区（YSBM、YSXL）：提供后，直接依据分区判断是否涉及生态保护红线和水环境优先保护区。</translation>
    </message>
    <message>
        <source>Optional numeric field with a buffer per project; it replaces BUFFER where it has a value.</source>
        <translation>可选的数值字段，给出每个项目的缓冲距离；有值时替代 BUFFER。</translation>
    </message>
    <message>
        <source>Optional project name shown in the reports.</source>
        <translation>可选的项目名称字段，显示在报告中。</translation>
    </message>
    <message>
        <source>Per-project buffer field (m)</source>
        <translation>项目缓冲距离字段（米）</translation>
    </message>
    <message>
        <source>Points, lines or polygons of the proposed projects (or existing enterprises), in any CRS.</source>
        <translation>拟建项目（或现有企业）的点、线或面，任意坐标系。</translation>
    </message>
    <message>
        <source>Project footprints</source>
        <translation>项目范围</translation>
    </message>
    <message>
        <source>Project id field</source>
        <translation>项目编号字段</translation>
    </message>
    <message>
        <source>Project name field</source>
        <translation>项目名称字段</translation>
    </message>
    <message>
        <source>Projects: conditional</source>
        <translation>项目数：受限准入</translation>
    </message>
    <message>
        <source>Projects: fail</source>
        <translation>项目数：判定不通过</translation>
    </message>
    <message>
        <source>Projects: need_info</source>
        <translation>项目数：待补充信息</translation>
    </message>
    <message>
        <source>Projects: pass</source>
        <translation>项目数：判定通过</translation>
    </message>
    <message>
        <source>Report folder</source>
        <translation>报告文件夹</translation>
    </message>
    <message>
        <source>Screen projects against control units</source>
        <translation>环境准入研判（项目与环境管控单元叠加分析）</translation>
    </message>
    <message>
        <source>Standardized element zones</source>
        <translation>标准化的环境要素管控分区</translation>
    </message>
    <message>
        <source>The folder holding library.yaml and the list files.</source>
        <translation>存放 library.yaml 及各清单文件的文件夹。</translation>
    </message>
    <message>
        <source>The unit layer (HJGKDYBM, HJGKDYMC, ZHGKDYFL, GKDYLX).</source>
        <translation>环境管控单元图层（HJGKDYBM、HJGKDYMC、ZHGKDYFL、GKDYLX）。</translation>
    </message>
    <message>
        <source>Unit overlaps</source>
        <translation>与单元的重叠</translation>
    </message>
    <message>
        <source>Verdict rules (YAML)</source>
        <translation>研判规则（YAML）</translation>
    </message>
    <message>
        <source>Verdicts</source>
        <translation>研判结论</translation>
    </message>
    <message>
        <source>When set: one HTML and one PDF report per project, with a map, and index.html.</source>
        <translation>设置后：每个项目生成一份带附图的 HTML 和 PDF 报告，并生成 index.html。</translation>
    </message>
</context>
<context>
    <name>StandardizeZones</name>
    <message>
        <source>A province&apos;s own taxonomy; the national default is used when empty.</source>
        <translation>本省的分区分类体系文件；为空时使用国家默认分类。</translation>
    </message>
    <message>
        <source>A taxonomy key such as eco_redline, dev_park. Leave empty to use SUBTYPE_FIELD and VALUE_MAP.</source>
        <translation>分类键，如 eco_redline、dev_park。为空时使用 SUBTYPE_FIELD 和 VALUE_MAP。</translation>
    </message>
    <message>
        <source>Admin areas (counties)</source>
        <translation>行政区（县级）</translation>
    </message>
    <message>
        <source>County code field</source>
        <translation>县级行政区代码字段</translation>
    </message>
    <message>
        <source>County polygons with 6-digit GB/T 2260 codes; zones are clipped to them and split at their lines.</source>
        <translation>带 6 位 GB/T 2260 行政区划代码的县级面；分区按其裁剪并沿县界分割。</translation>
    </message>
    <message>
        <source>Field holding the zone type</source>
        <translation>分区类型字段</translation>
    </message>
    <message>
        <source>Field of the admin layer holding the 6-digit county code.</source>
        <translation>行政区图层中存放 6 位县级行政区代码的字段。</translation>
    </message>
    <message>
        <source>Field whose values are mapped to taxonomy keys by VALUE_MAP.</source>
        <translation>其取值通过 VALUE_MAP 对应到分类键的字段。</translation>
    </message>
    <message>
        <source>Field with the zone&apos;s name (parks and urban areas are named after it).</source>
        <translation>分区名称字段（产业园区和城镇建成区以此命名）。</translation>
    </message>
    <message>
        <source>Maps each value of SUBTYPE_FIELD to a taxonomy key, e.g. 优先保护:water_priority;一般管控:water_general.</source>
        <translation>Maps each value of SUBTYPE_FIELD to a taxonomy key, e.g. 优先保护:water_priority;一般管控:water_general.</translation>
    </message>
    <message>
        <source>Name field</source>
        <translation>名称字段</translation>
    </message>
    <message>
        <source>Number of zones</source>
        <translation>分区数量</translation>
    </message>
    <message>
        <source>One row per repair, dropped feature, clipped area or overlap, with the source feature id.</source>
        <translation>每次修复、每个舍弃的要素、被裁剪的面积或重叠一行，附源要素编号。</translation>
    </message>
    <message>
        <source>Polygons of one element (e.g. the red line, or a water-zone partition).</source>
        <translation>某一环境要素的面图层（如生态保护红线或水环境管控分区）。</translation>
    </message>
    <message>
        <source>Raw element layer</source>
        <translation>原始要素图层</translation>
    </message>
    <message>
        <source>Repaired, clipped and coded element zones in EPSG:4490.</source>
        <translation>经修复、裁剪并编码的环境要素管控分区，坐标系 EPSG:4490。</translation>
    </message>
    <message>
        <source>Standardization report</source>
        <translation>标准化报告</translation>
    </message>
    <message>
        <source>Standardize element zones</source>
        <translation>标准化环境要素管控分区</translation>
    </message>
    <message>
        <source>Standardized element zones</source>
        <translation>标准化的环境要素管控分区</translation>
    </message>
    <message>
        <source>Subtype key for the whole layer</source>
        <translation>整个图层的类型键</translation>
    </message>
    <message>
        <source>Taxonomy file (YAML)</source>
        <translation>分类体系文件（YAML）</translation>
    </message>
    <message>
        <source>Value map (value:key;value:key)</source>
        <translation>取值映射（取值:键;取值:键）</translation>
    </message>
</context>
<context>
    <name>ValidateUnits</name>
    <message>
        <source>A report a reviewer can read: counts per kind and every issue.</source>
        <translation>供审核人员阅读的报告：各类问题数量及全部问题。</translation>
    </message>
    <message>
        <source>Address of a dask.distributed scheduler, e.g. tcp://10.0.0.5:8786: the county tasks run on its workers (each needs this plugin and the same Python packages; see the README). Empty: this machine.</source>
        <translation>dask.distributed 调度器地址，如 tcp://10.0.0.5:8786：各县任务在其工作节点上计算（每个节点需安装本插件和相同的 Python 包，见 README）。为空：在本机计算。</translation>
    </message>
    <message>
        <source>Admin areas (counties)</source>
        <translation>行政区（县级）</translation>
    </message>
    <message>
        <source>Control units</source>
        <translation>环境管控单元</translation>
    </message>
    <message>
        <source>Counties are independent tasks, run in this many worker processes on this machine (1: inside this process). Not used with a SCHEDULER.</source>
        <translation>各县是相互独立的任务，在本机以此数量的工作进程并行计算（1：在当前进程内计算）。设置 SCHEDULER 时不使用。</translation>
    </message>
    <message>
        <source>County code field</source>
        <translation>县级行政区代码字段</translation>
    </message>
    <message>
        <source>County polygons the units must cover exactly.</source>
        <translation>环境管控单元必须恰好全域覆盖的县级面。</translation>
    </message>
    <message>
        <source>Dask scheduler (empty = this machine)</source>
        <translation>Dask 调度器（为空 = 本机）</translation>
    </message>
    <message>
        <source>Field with the 6-digit county code.</source>
        <translation>存放 6 位县级行政区代码的字段。</translation>
    </message>
    <message>
        <source>Gap and overlap tolerance (m²)</source>
        <translation>缝隙与重叠容差（平方米）</translation>
    </message>
    <message>
        <source>Gaps, overlaps and areas outside the county smaller than this are rounding and not reported.</source>
        <translation>小于此值的缝隙、重叠及县界外面积视为计算误差，不予报告。</translation>
    </message>
    <message>
        <source>HTML report</source>
        <translation>HTML 报告</translation>
    </message>
    <message>
        <source>Issues: area_mismatch</source>
        <translation>问题数：面积不符</translation>
    </message>
    <message>
        <source>Issues: bad_code</source>
        <translation>问题数：编码错误</translation>
    </message>
    <message>
        <source>Issues: class_mismatch</source>
        <translation>问题数：类别与编码不符</translation>
    </message>
    <message>
        <source>Issues: county_mismatch</source>
        <translation>问题数：县级代码不符</translation>
    </message>
    <message>
        <source>Issues: crosses_county</source>
        <translation>问题数：跨县界</translation>
    </message>
    <message>
        <source>Issues: duplicate_code</source>
        <translation>问题数：编码重复</translation>
    </message>
    <message>
        <source>Issues: empty_geometry</source>
        <translation>问题数：空几何</translation>
    </message>
    <message>
        <source>Issues: gap</source>
        <translation>问题数：缝隙</translation>
    </message>
    <message>
        <source>Issues: invalid_geometry</source>
        <translation>问题数：无效几何</translation>
    </message>
    <message>
        <source>Issues: missing_field</source>
        <translation>问题数：缺少字段</translation>
    </message>
    <message>
        <source>Issues: outside_admin</source>
        <translation>问题数：超出行政区</translation>
    </message>
    <message>
        <source>Issues: overlap</source>
        <translation>问题数：重叠</translation>
    </message>
    <message>
        <source>Issues: sliver</source>
        <translation>问题数：细碎图斑</translation>
    </message>
    <message>
        <source>Number of issues</source>
        <translation>问题数量</translation>
    </message>
    <message>
        <source>One feature per problem, with its location where it has one.</source>
        <translation>每个问题一个要素，有位置的附其位置。</translation>
    </message>
    <message>
        <source>Sliver area (m²)</source>
        <translation>细碎图斑面积阈值（平方米）</translation>
    </message>
    <message>
        <source>The unit layer to check (fields HJGKDYBM, HJGKDYMC, ZHGKDYFL, XZQDM, MJ).</source>
        <translation>待检查的环境管控单元图层（字段 HJGKDYBM、HJGKDYMC、ZHGKDYFL、XZQDM、MJ）。</translation>
    </message>
    <message>
        <source>Unit parts smaller than this (or hair-thin parts under 1 ha) are reported as slivers.</source>
        <translation>小于此面积的单元部件（或小于 1 公顷的狭长部件）报告为细碎图斑。</translation>
    </message>
    <message>
        <source>Validate environmental control units</source>
        <translation>检查环境管控单元</translation>
    </message>
    <message>
        <source>Validation issues</source>
        <translation>检查问题</translation>
    </message>
    <message>
        <source>Worker processes (0 = all cores)</source>
        <translation>工作进程数（0 = 全部核心）</translation>
    </message>
</context>
</TS>
