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
        <source>Build the one-map project</source>
        <translation>生成“一张图”工程</translation>
    </message>
    <message>
        <source>Control units</source>
        <translation>环境管控单元</translation>
    </message>
    <message>
        <source>Counties</source>
        <translation>县级行政区</translation>
    </message>
    <message>
        <source>County boundaries drawn over the units, labelled with their names (field COUNTY, NAME or XZQMC).</source>
        <translation>叠加在单元上的县级行政区界线，并标注名称（字段 COUNTY、NAME 或 XZQMC）。</translation>
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
        <source>The .qgz to write; memory layers and the list texts are stored in GeoPackages next to it. Left temporary, the project is written as 一张图.qgz next to the unit layer&apos;s file (never over another).</source>
        <translation>要写出的 .qgz 工程文件；临时图层和清单文本存入其旁的 GeoPackage。保留为临时文件时，工程写为单元图层文件旁的 一张图.qgz（不覆盖已有工程）。</translation>
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
        <source>A saved PostgreSQL connection whose database holds the team library (published with Publish admission-list library); used instead of LIBRARY.</source>
        <translation>QGIS 中已保存的 PostgreSQL 连接，其数据库存放团队清单库（由“发布准入清单库”发布）；提供时代替 LIBRARY 使用。</translation>
    </message>
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
        <source>Team library database (PostgreSQL connection)</source>
        <translation>团队清单库数据库（PostgreSQL 连接）</translation>
    </message>
    <message>
        <source>The folder holding library.yaml and the list files; leave it empty when the library is in a team database (DATABASE).</source>
        <translation>存放 library.yaml 和各清单文件的文件夹；清单库在团队数据库中（DATABASE）时留空。</translation>
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
        <source>Update explanation</source>
        <translation>更新说明</translation>
    </message>
</context>
<context>
    <name>DelineateUnits</name>
    <message>
        <source>A province&apos;s own taxonomy; the national default is used when empty.</source>
        <translation>本省的分区分类体系文件；为空时使用国家默认分类。</translation>
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
</context>
<context>
    <name>EcoZoning</name>
    <message>
        <source>(none)</source>
        <translation>（无）</translation>
    </message>
    <message>
        <source>A clause of a higher level that this clause takes the place of</source>
        <translation>本条款所替代的上级条款</translation>
    </message>
    <message>
        <source>Add clause {}</source>
        <translation>添加条款 {}</translation>
    </message>
    <message>
        <source>Area does not match MJ</source>
        <translation>面积与 MJ 不符</translation>
    </message>
    <message>
        <source>Bad code</source>
        <translation>编码错误</translation>
    </message>
    <message>
        <source>Choose a clause to see it in full</source>
        <translation>选择一个条款以查看全文</translation>
    </message>
    <message>
        <source>Class</source>
        <translation>分类</translation>
    </message>
    <message>
        <source>Class does not match the code</source>
        <translation>类别与编码不符</translation>
    </message>
    <message>
        <source>Classes (none: all)</source>
        <translation>适用分类（不选：全部）</translation>
    </message>
    <message>
        <source>Classes: {}</source>
        <translation>适用分类：{}</translation>
    </message>
    <message>
        <source>Clause</source>
        <translation>条款</translation>
    </message>
    <message>
        <source>Clause text</source>
        <translation>条款内容</translation>
    </message>
    <message>
        <source>Clause {id} is in the {level} list: the change affects {n} control units. Continue?</source>
        <translation>条款 {id} 属于{level}清单，修改将影响 {n} 个管控单元。确定继续吗？</translation>
    </message>
    <message>
        <source>Clause {} is not in the library: choose the clause this one replaces.</source>
        <translation>条款 {} 不在清单库中：请选择本条款所替代的条款。</translation>
    </message>
    <message>
        <source>Clauses</source>
        <translation>条款</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>编码</translation>
    </message>
    <message>
        <source>Conditional</source>
        <translation>受限准入</translation>
    </message>
    <message>
        <source>Could not register the Processing provider &apos;ecozoning&apos;: is another copy of the plugin loaded?</source>
        <translation>无法注册处理工具提供者“ecozoning”：是否已加载了该插件的另一副本？</translation>
    </message>
    <message>
        <source>County</source>
        <translation>区县</translation>
    </message>
    <message>
        <source>County does not match the code</source>
        <translation>县级代码与编码不符</translation>
    </message>
    <message>
        <source>Crosses a county line</source>
        <translation>跨县界</translation>
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
        <source>Dimension</source>
        <translation>维度</translation>
    </message>
    <message>
        <source>Duplicate code</source>
        <translation>编码重复</translation>
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
        <source>Empty geometry</source>
        <translation>空几何</translation>
    </message>
    <message>
        <source>Encourage</source>
        <translation>鼓励</translation>
    </message>
    <message>
        <source>Fail</source>
        <translation>判定不通过</translation>
    </message>
    <message>
        <source>Gap</source>
        <translation>缝隙</translation>
    </message>
    <message>
        <source>General control</source>
        <translation>一般管控</translation>
    </message>
    <message>
        <source>GeoPackage (*.gpkg)</source>
        <translation>GeoPackage 文件 (*.gpkg)</translation>
    </message>
    <message>
        <source>Id</source>
        <translation>编号</translation>
    </message>
    <message>
        <source>Industries (GB/T 4754)</source>
        <translation>行业（GB/T 4754）</translation>
    </message>
    <message>
        <source>Industries: {}</source>
        <translation>行业：{}</translation>
    </message>
    <message>
        <source>Information needed</source>
        <translation>待补充信息</translation>
    </message>
    <message>
        <source>Invalid geometry</source>
        <translation>无效几何</translation>
    </message>
    <message>
        <source>Kept (protected or no neighbour)</source>
        <translation>保留（受保护或无相邻单元）</translation>
    </message>
    <message>
        <source>Key control</source>
        <translation>重点管控</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Level</source>
        <translation>层级</translation>
    </message>
    <message>
        <source>Loading failed (an internal error; the EcoZoning log has the details): {}</source>
        <translation>载入失败（程序内部错误，详情见 EcoZoning 日志）：{}</translation>
    </message>
    <message>
        <source>Merged into a neighbour</source>
        <translation>已并入相邻单元</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>说明</translation>
    </message>
    <message>
        <source>Missing field</source>
        <translation>缺少字段</translation>
    </message>
    <message>
        <source>Move clause {}</source>
        <translation>移动条款 {}</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Other (unknown dimension)</source>
        <translation>其他（维度未知）</translation>
    </message>
    <message>
        <source>Outside the admin area</source>
        <translation>超出行政区</translation>
    </message>
    <message>
        <source>Overlap</source>
        <translation>重叠</translation>
    </message>
    <message>
        <source>Pass</source>
        <translation>判定通过</translation>
    </message>
    <message>
        <source>Prefecture</source>
        <translation>市级</translation>
    </message>
    <message>
        <source>Prefecture {}</source>
        <translation>市级 {}</translation>
    </message>
    <message>
        <source>Priority protection</source>
        <translation>优先保护</translation>
    </message>
    <message>
        <source>Problems</source>
        <translation>问题</translation>
    </message>
    <message>
        <source>Prohibit</source>
        <translation>禁止</translation>
    </message>
    <message>
        <source>Province</source>
        <translation>省级</translation>
    </message>
    <message>
        <source>QGIS 中保存的 PostgreSQL 连接（密码保存在认证配置中） QGIS&apos;s saved PostgreSQL connections</source>
        <translation>QGIS 中保存的 PostgreSQL 连接（密码保存在认证配置中）</translation>
    </message>
    <message>
        <source>Ref</source>
        <translation>对象</translation>
    </message>
    <message>
        <source>Region</source>
        <translation>区域</translation>
    </message>
    <message>
        <source>Region {}</source>
        <translation>区域 {}</translation>
    </message>
    <message>
        <source>Replaces</source>
        <translation>替代</translation>
    </message>
    <message>
        <source>Replaces: {}</source>
        <translation>替代：{}</translation>
    </message>
    <message>
        <source>Require</source>
        <translation>要求</translation>
    </message>
    <message>
        <source>Restrict</source>
        <translation>限制</translation>
    </message>
    <message>
        <source>Search GB/T 4754 by code or name, e.g. C26 or 化学</source>
        <translation>按代码或名称搜索 GB/T 4754，如 C26 或 化学</translation>
    </message>
    <message>
        <source>Severity</source>
        <translation>级别</translation>
    </message>
    <message>
        <source>Sliver</source>
        <translation>细碎图斑</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <source>Source: {}</source>
        <translation>来源：{}</translation>
    </message>
    <message>
        <source>Standardize element zones…</source>
        <translation>标准化环境要素管控分区…</translation>
    </message>
    <message>
        <source>Subtypes (none: all)</source>
        <translation>适用子类（不选：全部）</translation>
    </message>
    <message>
        <source>Subtypes: {}</source>
        <translation>适用子类：{}</translation>
    </message>
    <message>
        <source>The admission-list library {folder} has files that do not load whole: {listing}. Their clauses would be missing from the results. Fix these files (run &apos;Check admission lists&apos; for every problem) and run again.</source>
        <translation>准入清单库 {folder} 中有文件未能完整读取：{listing}。其条款将缺失于结果中。请修正这些文件（运行“检查准入清单”查看全部问题）后重新运行。</translation>
    </message>
    <message>
        <source>The clause needs a text.</source>
        <translation>条款需要内容。</translation>
    </message>
    <message>
        <source>The clause needs an id.</source>
        <translation>条款需要编号。</translation>
    </message>
    <message>
        <source>The folder of output {output} ({folder}) cannot be written: {reason}. Choose a folder you may write to.</source>
        <translation>输出 {output} 的文件夹（{folder}）无法写入：{reason}。请选择有写入权限的文件夹。</translation>
    </message>
    <message>
        <source>The output {output} ({path}) is the input {input}: writing it would destroy the input. Choose another file for {output}.</source>
        <translation>输出 {output}（{path}）就是输入 {input}：写出会毁坏输入数据。请为 {output} 另选文件。</translation>
    </message>
    <message>
        <source>These files changed on disk since they were loaded:
{files}

Overwrite them (their changes are lost, a .bak copy is kept), reload them (your edits are lost), or cancel?</source>
        <translation>以下文件在载入后已被其他程序修改：
{files}

覆盖将丢弃他人的修改（保留 .bak 备份）；重新载入将丢弃您的修改。是否继续？</translation>
    </message>
    <message>
        <source>Unit</source>
        <translation>单元</translation>
    </message>
    <message>
        <source>Unit {}</source>
        <translation>单元 {}</translation>
    </message>
    <message>
        <source>Units: {}</source>
        <translation>涉及单元：{}</translation>
    </message>
    <message>
        <source>Validate control units…</source>
        <translation>检查环境管控单元…</translation>
    </message>
    <message>
        <source>Where</source>
        <translation>位置</translation>
    </message>
    <message>
        <source>error</source>
        <translation>错误</translation>
    </message>
    <message>
        <source>unknown: {}</source>
        <translation>未知：{}</translation>
    </message>
    <message>
        <source>warning</source>
        <translation>警告</translation>
    </message>
    <message>
        <source>{by} 于 {at} 保存了新版本 {by} saved a newer version at {at}</source>
        <translation>{by} 于 {at} 保存了新版本</translation>
    </message>
    <message>
        <source>{by} 保存了 {ids} {by} saved {ids}</source>
        <translation>{by} 保存了 {ids}</translation>
    </message>
    <message>
        <source>{by} 已删除此条款 {by} deleted this clause</source>
        <translation>{by} 已删除此条款</translation>
    </message>
    <message>
        <source>{label} has no CRS and its coordinates ({x:.0f}, {y:.0f}) cannot be longitude/latitude degrees: set the layer&apos;s CRS (Layer Properties &gt; Source, or add its .prj file) and run again.</source>
        <translation>{label} 没有坐标系，且其坐标（{x:.0f}, {y:.0f}）不可能是经纬度：请设置图层的坐标系（图层属性 &gt; 源，或补上 .prj 文件）后重新运行。</translation>
    </message>
    <message>
        <source>{label} has no field &apos;{field}&apos; ({what}). Its fields are: {names}. Choose the right field.</source>
        <translation>{label} 没有字段“{field}”（{what}）。其字段为：{names}。请选择正确的字段。</translation>
    </message>
    <message>
        <source>{label}: feature {fid} cannot be reprojected to EPSG:4490. Check the layer&apos;s CRS.</source>
        <translation>{label}：要素 {fid} 无法转换到 EPSG:4490。请检查图层的坐标系。</translation>
    </message>
    <message>
        <source>{label}: feature {fid} has text in {field} that is not valid in the layer&apos;s encoding (&apos;{text}&apos;): a Shapefile written in GBK without its .cpg file. Add a .cpg file holding GBK next to the .shp (or set the layer&apos;s encoding to GBK in Layer Properties &gt; Source) and run again.</source>
        <translation>{label}：要素 {fid} 的 {field} 字段文本不符合图层编码（“{text}”）：这是缺少 .cpg 文件的 GBK 编码 Shapefile。请在 .shp 旁添加内容为 GBK 的 .cpg 文件（或在图层属性 &gt; 源中将编码设为 GBK）后重新运行。</translation>
    </message>
    <message>
        <source>{label}: feature {fid}{code} is invalid ({reason}) and its rings can be read in two ways that differ by {share} of its area (more than the {tolerance} a repair may move): no repair is safe. Fix the feature in its source (redraw the rings, or run &apos;Fix geometries&apos; and check the result), or raise REPAIR_TOLERANCE.</source>
        <translation>{label}：要素 {fid}{code} 几何无效（{reason}），其边界有两种解读，面积相差 {share}（超过修复允许改变的 {tolerance}）：无法安全修复。请在源数据中修正该要素（重绘边界，或运行“修复几何”并检查结果），或调高 REPAIR_TOLERANCE。</translation>
    </message>
    <message>
        <source>{label}: feature {fid}{code} repaired ({reason}); area {before} → {after} m² ({moved} m² moved)</source>
        <translation>{label}：要素 {fid}{code} 已修复（{reason}）；面积 {before} → {after} 平方米（变动 {moved} 平方米）</translation>
    </message>
    <message>
        <source>{label}: {n} curved geometries converted to straight segments</source>
        <translation>{label}：{n} 个曲线几何已转换为直线段</translation>
    </message>
    <message>
        <source>{label}: {n} invalid geometries repaired, {moved} m² of area moved in all</source>
        <translation>{label}：已修复 {n} 个无效几何，面积共变动 {moved} 平方米</translation>
    </message>
    <message>
        <source>{label}: {n} texts were GBK bytes read as Latin-1 (a Shapefile without its .cpg) and were read as GBK; add a .cpg file holding GBK next to the .shp</source>
        <translation>{label}：{n} 个文本是被按 Latin-1 读取的 GBK 字节（Shapefile 缺少 .cpg），已按 GBK 读取；请在 .shp 旁添加内容为 GBK 的 .cpg 文件</translation>
    </message>
    <message>
        <source>{who}：地市 {cities}，可编辑本市及其单元的清单 {who}: prefecture {cities}, edits its own lists</source>
        <translation>{who}：地市 {cities}，可编辑本市及其单元的清单</translation>
    </message>
    <message>
        <source>{who}：审核员，只读 {who}: reviewer, read-only</source>
        <translation>{who}：审核员，只读</translation>
    </message>
    <message>
        <source>{who}：数据库所有者，可编辑全部清单 {who}: database owner, edits every list</source>
        <translation>{who}：数据库所有者，可编辑全部清单</translation>
    </message>
    <message>
        <source>{who}：省级，可编辑省级和区域清单 {who}: the province, edits the province and region lists</source>
        <translation>{who}：省级，可编辑省级和区域清单</translation>
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
        <source>“{}”中没有带几何的单元 &apos;{}&apos; has no units with a geometry</source>
        <translation>“{}”中没有带几何的单元</translation>
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
        <source>不再接收他人的修改（重新载入可恢复） No longer following others&apos; saves (reload to follow again): {}</source>
        <translation>不再接收他人的修改（重新载入可恢复）：{}</translation>
    </message>
    <message>
        <source>与服务器的连接中断：未写入任何内容，您的修改仍保留 The connection was lost: nothing written, your edits are kept</source>
        <translation>与服务器的连接中断：未写入任何内容，您的修改仍保留</translation>
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
        <source>保存冲突 Save conflict: {}</source>
        <translation>保存冲突：{}</translation>
    </message>
    <message>
        <source>保存合并结果 Use the merge</source>
        <translation>保存合并结果</translation>
    </message>
    <message>
        <source>保留我的 Keep mine</source>
        <translation>保留我的</translation>
    </message>
    <message>
        <source>修改 changed</source>
        <translation>修改</translation>
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
        <source>分类体系 Taxonomy</source>
        <translation>分类体系</translation>
    </message>
    <message>
        <source>分类体系 Taxonomy (*.yaml *.yml)</source>
        <translation>分类体系</translation>
    </message>
    <message>
        <source>删除 Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>删除 deleted</source>
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
        <source>单元 Unit</source>
        <translation>单元</translation>
    </message>
    <message>
        <source>单元 {} 不在图层中 Unit {} is not in the layer</source>
        <translation>单元 {} 不在图层中</translation>
    </message>
    <message>
        <source>单元 {} 的历史 History of unit {}</source>
        <translation>单元 {} 的历史</translation>
    </message>
    <message>
        <source>单元图层 Unit layer</source>
        <translation>单元图层</translation>
    </message>
    <message>
        <source>单元外 Outside the units {:.2f} %</source>
        <translation>单元外 {:.2f} %</translation>
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
        <source>历史 History</source>
        <translation>历史</translation>
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
        <source>合并结果（可编辑） Merged text (editable)</source>
        <translation>合并结果（可编辑）</translation>
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
        <source>团队数据库 Team database</source>
        <translation>团队数据库</translation>
    </message>
    <message>
        <source>国民经济行业分类 GB/T 4754 代码，如 C2520 GB/T 4754 industry code</source>
        <translation>国民经济行业分类 GB/T 4754 代码，如</translation>
    </message>
    <message>
        <source>图层 {name} 没有 {field} 字段，不是管控单元图层 {name} has no {field} field: not a unit layer</source>
        <translation>图层 {name} 没有 {field} 字段，不是管控单元图层</translation>
    </message>
    <message>
        <source>图层没有 {} 字段或单元 The layer has no {} units</source>
        <translation>图层没有 {} 字段或单元</translation>
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
        <source>复制环评符合性分析段落 Copy the EIA paragraph</source>
        <translation>复制环评符合性分析段落</translation>
    </message>
    <message>
        <source>审查人 Reviewer</source>
        <translation>审查人</translation>
    </message>
    <message>
        <source>审查意见 Reviewer</source>
        <translation>审查意见</translation>
    </message>
    <message>
        <source>审查意见 Reviewer&apos;s decision</source>
        <translation>审查意见</translation>
    </message>
    <message>
        <source>审查意见保存于此 GeoPackage 的 decisions 表，只追加不覆盖 Decisions are appended to its decisions table</source>
        <translation>审查意见保存于此 GeoPackage 的“decisions”表，只追加不覆盖</translation>
    </message>
    <message>
        <source>审查意见已记录 Decision recorded: {}</source>
        <translation>审查意见已记录：{}</translation>
    </message>
    <message>
        <source>审查意见文件 Decisions file</source>
        <translation>审查意见文件</translation>
    </message>
    <message>
        <source>审查意见：尚未审查 Reviewer: not reviewed yet</source>
        <translation>审查意见：尚未审查</translation>
    </message>
    <message>
        <source>审核员角色只读 The reviewer role reads only</source>
        <translation>审核员角色只读</translation>
    </message>
    <message>
        <source>对方的文本 Their text</source>
        <translation>对方的文本</translation>
    </message>
    <message>
        <source>层级 Level</source>
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
        <source>已复制环评“三线一单”符合性分析段落 The EIA paragraph is on the clipboard</source>
        <translation>已复制环评“三线一单”符合性分析段落</translation>
    </message>
    <message>
        <source>已就绪 Ready: {units} 个单元 units, {zones} 个分区 zones, 清单库 library: {library}</source>
        <translation>已就绪：{units} 个单元，{zones} 个分区，清单库：{library}</translation>
    </message>
    <message>
        <source>已载入 Loaded {name}: {files} 个文件 files, {n} 个问题 problems</source>
        <translation>已载入 {name}：{files} 个文件，{n} 个问题</translation>
    </message>
    <message>
        <source>市级和单元清单由各地市编辑 Prefecture and unit lists are edited by the prefecture</source>
        <translation>市级和单元清单由各地市编辑</translation>
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
        <source>必填 required</source>
        <translation>必填</translation>
    </message>
    <message>
        <source>快速研判 Quick screen</source>
        <translation>快速研判</translation>
    </message>
    <message>
        <source>恢复为新的修改 Restore as a new edit</source>
        <translation>恢复为新的修改</translation>
    </message>
    <message>
        <source>您未保存的修改已保留：{} your unsaved edits are kept</source>
        <translation>您未保存的修改已保留：{}</translation>
    </message>
    <message>
        <source>我的文本 My text</source>
        <translation>我的文本</translation>
    </message>
    <message>
        <source>打开 Open</source>
        <translation>打开</translation>
    </message>
    <message>
        <source>报告保存到 Write the report to</source>
        <translation>报告保存到</translation>
    </message>
    <message>
        <source>报告已写入 Report written: {}</source>
        <translation>报告已写入：{}</translation>
    </message>
    <message>
        <source>报告编号 Report number</source>
        <translation>报告编号</translation>
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
        <source>操作 What</source>
        <translation>操作</translation>
    </message>
    <message>
        <source>放弃未保存的修改吗？ Discard the unsaved changes?</source>
        <translation>放弃未保存的修改吗？</translation>
    </message>
    <message>
        <source>数据库 Database</source>
        <translation>数据库</translation>
    </message>
    <message>
        <source>数据库不存在：请检查数据库名 The database does not exist: check its name</source>
        <translation>数据库不存在：请检查数据库名</translation>
    </message>
    <message>
        <source>数据库中没有清单库：请先发布 The database holds no library: publish one first</source>
        <translation>数据库中没有清单库：请先发布</translation>
    </message>
    <message>
        <source>数据库拒绝保存，未写入任何内容 The database refused the save, nothing was written:</source>
        <translation>数据库拒绝保存，未写入任何内容</translation>
    </message>
    <message>
        <source>数据库没有 PostGIS：请安装或启用 PostGIS The database has no PostGIS: install or enable it</source>
        <translation>数据库没有 PostGIS：请安装或启用</translation>
    </message>
    <message>
        <source>数据库结构版本 {db} 高于本插件的 {plugin}，请先升级插件 The database schema is newer: update the plugin</source>
        <translation>数据库结构版本 {db} 高于本插件的 {plugin}，请先升级插件</translation>
    </message>
    <message>
        <source>文件夹 Folder</source>
        <translation>文件夹</translation>
    </message>
    <message>
        <source>文件夹清单库没有修改历史 A folder library keeps no history</source>
        <translation>文件夹清单库没有修改历史</translation>
    </message>
    <message>
        <source>文件已被修改 Files changed on disk</source>
        <translation>文件已被修改</translation>
    </message>
    <message>
        <source>新增 added</source>
        <translation>新增</translation>
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
        <translation>无法保存：{}</translation>
    </message>
    <message>
        <source>无法写入报告 Cannot write the report: {}</source>
        <translation>无法写入报告：{}</translation>
    </message>
    <message>
        <source>无法将范围转换到 EPSG:4490 Cannot reproject the footprint from {}</source>
        <translation>无法将范围从 {} 转换到 EPSG:4490</translation>
    </message>
    <message>
        <source>无法接收他人的修改 Cannot follow others&apos; saves: {}</source>
        <translation>无法接收他人的修改：{}</translation>
    </message>
    <message>
        <source>无法读取审查意见 Cannot read the decisions: {}</source>
        <translation>无法读取审查意见：{}</translation>
    </message>
    <message>
        <source>无法读取范围 Unreadable footprint: {}</source>
        <translation>无法读取范围：{}</translation>
    </message>
    <message>
        <source>时间 When</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>是 yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>服务器无响应：请确认服务器已启动、主机和端口正确 No server answers: check that it runs, and host and port</source>
        <translation>服务器无响应：请确认服务器已启动、主机和端口正确</translation>
    </message>
    <message>
        <source>未保存 Not saved: {}</source>
        <translation>未保存：{}</translation>
    </message>
    <message>
        <source>未保存的修改 Unsaved changes</source>
        <translation>未保存的修改</translation>
    </message>
    <message>
        <source>未保存：{} 存在冲突 Not saved: conflicts on {}</source>
        <translation>未保存：{} 存在冲突</translation>
    </message>
    <message>
        <source>未选择 none</source>
        <translation>未选择</translation>
    </message>
    <message>
        <source>本省的分区分类体系；为空时用国家默认分类 A province&apos;s own taxonomy</source>
        <translation>本省的分区分类体系；为空时用国家默认分类</translation>
    </message>
    <message>
        <source>本省的研判规则文件；为空时用默认规则 A province&apos;s own verdict rules</source>
        <translation>本省的研判规则文件；为空时用默认规则</translation>
    </message>
    <message>
        <source>条款 Clause</source>
        <translation>条款</translation>
    </message>
    <message>
        <source>条款 {id}（{level} {scope}）在您载入后已被他人修改。 Clause {id} changed since you loaded it.</source>
        <translation>条款 {id}（{level} {scope}）在您载入后已被他人修改。</translation>
    </message>
    <message>
        <source>条款 {} 已添加，但其筛选条件不适用于本单元 Added; its filters exclude this unit</source>
        <translation>条款 {} 已添加，但其筛选条件不适用于本单元</translation>
    </message>
    <message>
        <source>条款 {} 的历史 History of clause {}</source>
        <translation>条款 {} 的历史</translation>
    </message>
    <message>
        <source>条款不按行业区分 The clause applies to every industry</source>
        <translation>条款不按行业区分</translation>
    </message>
    <message>
        <source>来源 Source</source>
        <translation>来源</translation>
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
        <translation>正在载入 {} …</translation>
    </message>
    <message>
        <source>此清单属于其他地市 This list belongs to another prefecture</source>
        <translation>此清单属于其他地市</translation>
    </message>
    <message>
        <source>此问题不涉及图层中的单元 This problem concerns no unit of the layer</source>
        <translation>此问题不涉及图层中的单元</translation>
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
        <translation>添加条款：{}</translation>
    </message>
    <message>
        <source>清单库 Library</source>
        <translation>清单库</translation>
    </message>
    <message>
        <source>清单库可以是一个文件夹，或 PostgreSQL 团队数据库 The library is a folder or a PostgreSQL team database</source>
        <translation>清单库可以是一个文件夹，或 PostgreSQL 团队数据库</translation>
    </message>
    <message>
        <source>清单库有 {} 个文件无法读取 {} library files could not be read</source>
        <translation>清单库有 {} 个文件无法读取</translation>
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
        <translation>点数 {:,.0f}</translation>
    </message>
    <message>
        <source>点选或使用所选要素的图层 The layer to pick features from</source>
        <translation>点选或使用所选要素的图层</translation>
    </message>
    <message>
        <source>理由 Reason</source>
        <translation>理由</translation>
    </message>
    <message>
        <source>生成 PDF 报告 Write the PDF report</source>
        <translation>生成 PDF 报告</translation>
    </message>
    <message>
        <source>生成 Word 报告 Write the Word report</source>
        <translation>生成 Word 报告</translation>
    </message>
    <message>
        <source>用户 Who</source>
        <translation>用户</translation>
    </message>
    <message>
        <source>用户名或密码错误：请检查连接的认证配置 Wrong user or password: check the connection&apos;s authentication</source>
        <translation>用户名或密码错误：请检查连接的认证配置</translation>
    </message>
    <message>
        <source>省级和区域清单由省级编辑 Province and region lists are edited by the province</source>
        <translation>省级和区域清单由省级编辑</translation>
    </message>
    <message>
        <source>研判用时 Screened in {:.0f} ms</source>
        <translation>研判用时 {:.0f} 毫秒</translation>
    </message>
    <message>
        <source>研判规则 Verdict rules</source>
        <translation>研判规则</translation>
    </message>
    <message>
        <source>研判规则 Verdict rules (*.yaml *.yml)</source>
        <translation>研判规则</translation>
    </message>
    <message>
        <source>确认系统研判 Confirm the system&apos;s verdict</source>
        <translation>确认系统研判</translation>
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
        <source>类别不明 Class unknown</source>
        <translation>类别不明</translation>
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
        <source>结论 Decision</source>
        <translation>结论</translation>
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
        <translation>编辑条款 {}</translation>
    </message>
    <message>
        <source>草图 Sketch</source>
        <translation>草图</translation>
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
        <source>记录审查意见 Record the decision</source>
        <translation>记录审查意见</translation>
    </message>
    <message>
        <source>该用户无权执行此操作：请联系数据库管理员 This user may not do this: ask the database admin</source>
        <translation>该用户无权执行此操作：请联系数据库管理员</translation>
    </message>
    <message>
        <source>请先在拾取图层中选择一个要素 Select a feature of the pick layer first</source>
        <translation>请先在拾取图层中选择一个要素</translation>
    </message>
    <message>
        <source>请先研判一个项目 Screen a project first</source>
        <translation>请先研判一个项目</translation>
    </message>
    <message>
        <source>请选择一个已保存的 PostgreSQL 连接 Choose a saved PostgreSQL connection</source>
        <translation>请选择一个已保存的 PostgreSQL 连接</translation>
    </message>
    <message>
        <source>请选择保存审查意见的 GeoPackage 文件 Choose the GeoPackage for the decisions</source>
        <translation>请选择保存审查意见的 GeoPackage 文件</translation>
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
        <source>适用行业 Industries: {}</source>
        <translation>适用行业 Industries: {}</translation>
    </message>
    <message>
        <source>选中了 {n} 个要素，已研判第一个；批量研判请用“项目准入研判”算法 {n} selected: the first was screened</source>
        <translation>选中了 {n} 个要素，已研判第一个；批量研判请用“项目准入研判”算法</translation>
    </message>
    <message>
        <source>选择准入清单库文件夹 Choose the admission-list library folder</source>
        <translation>选择准入清单库文件夹</translation>
    </message>
    <message>
        <source>采用对方的 Take theirs</source>
        <translation>采用对方的</translation>
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
        <source>长度 Length {:,.1f} m</source>
        <translation>长度 {:,.1f} 米</translation>
    </message>
    <message>
        <source>长度 m</source>
        <translation>长度</translation>
    </message>
    <message>
        <source>问题 Problems ({})</source>
        <translation>问题（{}）</translation>
    </message>
    <message>
        <source>面积 Area {ha:,.4f} ha ({m2:,.0f} m²)</source>
        <translation>面积 {ha:,.4f} 公顷（{m2:,.0f} 平方米）</translation>
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
        <source>（已删除） (deleted)</source>
        <translation>（已删除）</translation>
    </message>
    <message>
        <source>（未选择清单库，无条款 no library: no clauses）</source>
        <translation>（未选择清单库，无条款）</translation>
    </message>
</context>
<context>
    <name>EcoZoningAlgorithm</name>
    <message>
        <source>Address of a dask.distributed scheduler, e.g. tcp://10.0.0.5:8786: the county tasks run on its workers (each needs this plugin and the same Python packages; see the README). Empty: this machine.</source>
        <translation>`dask.distributed` 调度器地址，如 `tcp://10.0.0.5:8786`：各县任务在其工作节点上计算（每个节点需安装本插件和相同的“Python”包，见说明文档）。为空：在本机计算。</translation>
    </message>
    <message>
        <source>Admission lists</source>
        <translation>生态环境准入清单</translation>
    </message>
    <message>
        <source>Control units</source>
        <translation>环境管控单元</translation>
    </message>
    <message>
        <source>Counties are independent tasks, run by this many workers on this machine (threads inside QGIS, processes from the command line; 1: one after the other). Not used with a SCHEDULER.</source>
        <translation>各县为相互独立的任务，在本机由此数量的工作单元并行计算（在 QGIS 内为线程，命令行下为进程；1：逐县依次计算）。使用 SCHEDULER 时不适用。</translation>
    </message>
    <message>
        <source>Dask scheduler (empty = this machine)</source>
        <translation>“Dask”调度器（为空 = 本机）</translation>
    </message>
    <message>
        <source>Element zones</source>
        <translation>环境要素管控分区</translation>
    </message>
    <message>
        <source>Errors (must be fixed before filing)</source>
        <translation>错误数（备案前须修正）</translation>
    </message>
    <message>
        <source>Filing</source>
        <translation>成果备案</translation>
    </message>
    <message>
        <source>Geometry repair tolerance (%)</source>
        <translation>几何修复容差（%）</translation>
    </message>
    <message>
        <source>Invalid polygons (self-intersections…) are repaired in the layer&apos;s own CRS and logged. When the two ways of reading a feature&apos;s rings differ by more than this share of its area, the run stops naming the feature.</source>
        <translation>无效面（自相交等）在图层自身坐标系中修复并记入日志。若某要素边界的两种解读面积相差超过此比例，运行将停止并指明该要素。</translation>
    </message>
    <message>
        <source>Items to review (do not stop filing)</source>
        <translation>待核实项数（不影响备案）</translation>
    </message>
    <message>
        <source>Parallel workers (0 = all cores)</source>
        <translation>并行工作数（0 = 全部核心）</translation>
    </message>
    <message>
        <source>Project screening</source>
        <translation>环境准入研判</translation>
    </message>
    <message>
        <source>Ready to file (1 = yes, 0 = no)</source>
        <translation>可以备案（1 = 是，0 = 否）</translation>
    </message>
    <message>
        <source>Tracking and enforcement</source>
        <translation>跟踪评估与监管执法</translation>
    </message>
</context>
<context>
    <name>ExportFiling</name>
    <message>
        <source>6-digit county codes.</source>
        <translation>6 位县级行政区代码。</translation>
    </message>
    <message>
        <source>A saved PostgreSQL connection whose database holds the team library (published with Publish admission-list library); used instead of LIBRARY.</source>
        <translation>QGIS 中已保存的 PostgreSQL 连接，其数据库存放团队清单库（由“发布准入清单库”发布）；提供时代替 LIBRARY 使用。</translation>
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
        <source>Element-zone layers (YSBM, YSXL…); an imported scheme may have none (the zone layer is then empty).</source>
        <translation>环境要素管控分区图层（YSBM、YSXL 等）；导入的方案可以没有（此时分区图层为空）。</translation>
    </message>
    <message>
        <source>Export filing package</source>
        <translation>导出备案材料包</translation>
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
        <source>Removed {path}, left by an export that was stopped</source>
        <translation>已删除被中断的导出遗留的 {path}</translation>
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
        <source>Team library database (PostgreSQL connection)</source>
        <translation>团队清单库数据库（PostgreSQL 连接）</translation>
    </message>
    <message>
        <source>The counties the units must cover.</source>
        <translation>环境管控单元必须全域覆盖的县级行政区。</translation>
    </message>
    <message>
        <source>The folder holding library.yaml and the list files; leave it empty when the library is in a team database (DATABASE).</source>
        <translation>存放 library.yaml 和各清单文件的文件夹；清单库在团队数据库中（DATABASE）时留空。</translation>
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
        <source>Unit layer: unit &apos;{code}&apos; has class &apos;{value}&apos; and a code without a class digit: set ZHGKDYFL to 1, 2 or 3 (or fix HJGKDYBM) and run again.</source>
        <translation>单元图层：单元“{code}”的分类为“{value}”，且编码中没有类别位：请将 ZHGKDYFL 设为 1、2 或 3（或修正 HJGKDYBM）后重新运行。</translation>
    </message>
    <message>
        <source>Unit {code}: MJ = {mj} differs from the geometry&apos;s {area} km²; the statistics use the geometry (validation.html reports the difference)</source>
        <translation>单元 {code}：MJ = {mj} 与几何面积 {area} 平方千米不符；统计采用几何面积（validation.html 报告该差异）</translation>
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
        <translation>`initial`（首次）、`dynamic`（动态更新）或 `periodic`（定期调整）。</translation>
    </message>
    <message>
        <source>province or city.</source>
        <translation>`province`（省级）或 `city`（市级）。</translation>
    </message>
</context>
<context>
    <name>ExportLibrary</name>
    <message>
        <source>A saved PostgreSQL connection whose database holds the team library.</source>
        <translation>QGIS 中已保存的、其数据库存放团队清单库的 PostgreSQL 连接。</translation>
    </message>
    <message>
        <source>Export admission-list library from a team database</source>
        <translation>从团队数据库导出准入清单库</translation>
    </message>
    <message>
        <source>Library folder</source>
        <translation>清单库文件夹</translation>
    </message>
    <message>
        <source>Library revision</source>
        <translation>清单库版本标识</translation>
    </message>
    <message>
        <source>Number of files</source>
        <translation>文件数</translation>
    </message>
    <message>
        <source>Team library database (PostgreSQL connection)</source>
        <translation>团队清单库数据库（PostgreSQL 连接）</translation>
    </message>
    <message>
        <source>The folder to write the library to (created when missing).</source>
        <translation>清单库写入的文件夹（不存在时创建）。</translation>
    </message>
</context>
<context>
    <name>ExportListTable</name>
    <message>
        <source>A saved PostgreSQL connection whose database holds the team library (published with Publish admission-list library); used instead of LIBRARY.</source>
        <translation>QGIS 中已保存的 PostgreSQL 连接，其数据库存放团队清单库（由“发布准入清单库”发布）；提供时代替 LIBRARY 使用。</translation>
    </message>
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
        <translation>导出准入清单表（附表1）</translation>
    </message>
    <message>
        <source>Library revision</source>
        <translation>清单库版本标识</translation>
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
        <source>Team library database (PostgreSQL connection)</source>
        <translation>团队清单库数据库（PostgreSQL 连接）</translation>
    </message>
    <message>
        <source>The .xlsx file to write (replaced atomically).</source>
        <translation>要写出的 .xlsx 文件（以原子方式替换）。</translation>
    </message>
    <message>
        <source>The folder holding library.yaml and the list files; leave it empty when the library is in a team database (DATABASE).</source>
        <translation>存放 library.yaml 和各清单文件的文件夹；清单库在团队数据库中（DATABASE）时留空。</translation>
    </message>
    <message>
        <source>The unit layer (HJGKDYBM, HJGKDYMC, ZHGKDYFL, GKDYLX, CITY, COUNTY).</source>
        <translation>环境管控单元图层（HJGKDYBM、HJGKDYMC、ZHGKDYFL、GKDYLX、CITY、COUNTY）。</translation>
    </message>
    <message>
        <source>附表1 spreadsheet</source>
        <translation>附表1 电子表格</translation>
    </message>
</context>
<context>
    <name>ImportListTable</name>
    <message>
        <source>A clause found in every unit of a prefecture (or of the whole table) becomes one clause at that level.</source>
        <translation>某地市（或全表）所有单元都有的条款，提升为该层级的一条条款。</translation>
    </message>
    <message>
        <source>Admission-list table (附表1)</source>
        <translation>准入清单表（附表1）</translation>
    </message>
    <message>
        <source>Dimension column</source>
        <translation>管控维度列</translation>
    </message>
    <message>
        <source>Extra dimension labels</source>
        <translation>补充的管控维度名称</translation>
    </message>
    <message>
        <source>Import a published admission-list table (附表1)</source>
        <translation>导入已发布的准入清单（附表1）</translation>
    </message>
    <message>
        <source>Import report</source>
        <translation>导入报告</translation>
    </message>
    <message>
        <source>Imported units</source>
        <translation>导入的管控单元</translation>
    </message>
    <message>
        <source>Infer industry codes of prohibit/restrict clauses from their wording</source>
        <translation>按措辞推断禁止类、限制类条款的行业代码</translation>
    </message>
    <message>
        <source>Library name</source>
        <translation>清单库名称</translation>
    </message>
    <message>
        <source>Lift shared clauses to city/province level</source>
        <translation>将共有条款提升为市级/省级条款</translation>
    </message>
    <message>
        <source>List library</source>
        <translation>清单库</translation>
    </message>
    <message>
        <source>New list library folder</source>
        <translation>新清单库文件夹</translation>
    </message>
    <message>
        <source>Number of clauses in the table</source>
        <translation>表中条款数</translation>
    </message>
    <message>
        <source>Number of clauses with industry codes inferred from their wording</source>
        <translation>按措辞推断出行业代码的条款数</translation>
    </message>
    <message>
        <source>Number of units</source>
        <translation>单元数</translation>
    </message>
    <message>
        <source>Number of unreadable rows</source>
        <translation>无法读取的行数</translation>
    </message>
    <message>
        <source>One row per source row: unit, dimension, clauses found, industry codes inferred (INDUSTRIES), warnings.</source>
        <translation>源表每行一条记录：单元、维度、识别出的条款、推断的行业代码（INDUSTRIES）及警告。</translation>
    </message>
    <message>
        <source>Published tables carry no GB/T 4754 codes: a prohibit or restrict clause naming an industry (炼焦, 电石, 水泥 …) gets the codes of resources/data/industry_keywords.yaml, flagged industries_inferred and named in the report. Off: such clauses filter no industry.</source>
        <translation>已发布的清单表不含 GB/T 4754 行业代码：点名某一行业（炼焦、电石、水泥等）的禁止类、限制类条款按 resources/data/industry_keywords.yaml 获得行业代码，标记 industries_inferred 并在报告中列出。不勾选时，这些条款不按行业筛选。</translation>
    </message>
    <message>
        <source>Replace an existing library</source>
        <translation>替换已有清单库</translation>
    </message>
    <message>
        <source>Requirement text column</source>
        <translation>管控要求列</translation>
    </message>
    <message>
        <source>Sheet</source>
        <translation>工作表</translation>
    </message>
    <message>
        <source>The column&apos;s header as printed, when it is not recognised by itself.</source>
        <translation>无法自动识别时，填写该列在表中的表头文字。</translation>
    </message>
    <message>
        <source>The folder of the new library (library.yaml, cities/, units/).</source>
        <translation>新清单库的文件夹（library.yaml、cities/、units/）。</translation>
    </message>
    <message>
        <source>The published table: .xlsx, .csv (UTF-8 or GBK) or .docx.</source>
        <translation>已发布的清单表：.xlsx、.csv（UTF-8 或 GBK）或 .docx。</translation>
    </message>
    <message>
        <source>The sheet of an .xlsx to read; empty: the first sheet with a recognisable header.</source>
        <translation>要读取的 .xlsx 工作表；为空时使用第一个能识别表头的工作表。</translation>
    </message>
    <message>
        <source>The unit layer (output of Import an existing unit layer): codes are checked against it, units named without a code are found by name, and clauses are lifted only where every unit of the layer has them.</source>
        <translation>单元图层（“导入已有管控单元图层”的输出）：据此核对编码，按名称查找缺少编码的单元，且仅当图层中所有单元都有某条款时才提升该条款。</translation>
    </message>
    <message>
        <source>Unit code column</source>
        <translation>单元编码列</translation>
    </message>
    <message>
        <source>Unit name column</source>
        <translation>单元名称列</translation>
    </message>
    <message>
        <source>When OUTPUT_FOLDER already holds a library it is refused unless this is set; the old folder is then kept as &lt;folder&gt;.bak-&lt;time&gt;.</source>
        <translation>OUTPUT_FOLDER 中已有清单库时，除非勾选此项，否则拒绝写入；勾选后原文件夹保留为 &lt;文件夹&gt;.bak-&lt;时间&gt;。</translation>
    </message>
    <message>
        <source>Written to library.yaml; empty: the file name.</source>
        <translation>写入 library.yaml；为空时使用文件名。</translation>
    </message>
    <message>
        <source>label:dimension pairs separated by &apos;;&apos;, e.g. 产业准入:spatial_layout;能耗管控:资源利用效率.</source>
        <translation>以“;”分隔的“名称:维度”对，如 产业准入:spatial_layout;能耗管控:资源利用效率。</translation>
    </message>
</context>
<context>
    <name>ImportUnits</name>
    <message>
        <source>Admin areas (counties)</source>
        <translation>行政区（县级）</translation>
    </message>
    <message>
        <source>Class field (1/2/3, or the class written out)</source>
        <translation>单元类别字段（1/2/3，或写出的类别名称，如优先保护/重点管控/一般管控）</translation>
    </message>
    <message>
        <source>County code field</source>
        <translation>县级代码字段</translation>
    </message>
    <message>
        <source>County code field (6 digits)</source>
        <translation>县级代码字段（6 位）</translation>
    </message>
    <message>
        <source>County name field</source>
        <translation>区县名称字段</translation>
    </message>
    <message>
        <source>County polygons: when given, gaps, county crossings and units outside the area are reported too.</source>
        <translation>县级行政区面：提供时还报告缝隙、跨县界及超出行政区的单元。</translation>
    </message>
    <message>
        <source>Field of the admin layer holding the 6-digit county code.</source>
        <translation>行政区图层中存放 6 位县级代码的字段。</translation>
    </message>
    <message>
        <source>Import an existing unit layer</source>
        <translation>导入已有管控单元图层</translation>
    </message>
    <message>
        <source>Import report</source>
        <translation>导入报告</translation>
    </message>
    <message>
        <source>Imported units</source>
        <translation>导入的管控单元</translation>
    </message>
    <message>
        <source>Leave empty to find the field by its usual names.</source>
        <translation>为空时按常见字段名自动识别。</translation>
    </message>
    <message>
        <source>Number of features with warnings</source>
        <translation>有警告的要素数</translation>
    </message>
    <message>
        <source>Number of units</source>
        <translation>单元数</translation>
    </message>
    <message>
        <source>One row per source feature: how each field was read, repairs and warnings.</source>
        <translation>每个源要素一行：各字段的读取方式、修复和警告。</translation>
    </message>
    <message>
        <source>Overlaps, gaps and other problems found by the checks of validateunits, with their location.</source>
        <translation>按“validateunits”的检查发现的重叠、缝隙等问题及其位置。</translation>
    </message>
    <message>
        <source>Prefecture name field</source>
        <translation>地市名称字段</translation>
    </message>
    <message>
        <source>Province name field</source>
        <translation>省名称字段</translation>
    </message>
    <message>
        <source>Published unit layer</source>
        <translation>已发布的管控单元图层</translation>
    </message>
    <message>
        <source>The department&apos;s unit polygons, in their own fields and CRS.</source>
        <translation>各部门自有字段和坐标系的管控单元面图层。</translation>
    </message>
    <message>
        <source>The source&apos;s own area field</source>
        <translation>原有面积字段</translation>
    </message>
    <message>
        <source>The standard unit layer (EPSG:4490).</source>
        <translation>标准管控单元图层（EPSG:4490）。</translation>
    </message>
    <message>
        <source>Unit code field</source>
        <translation>单元编码字段</translation>
    </message>
    <message>
        <source>Unit name field</source>
        <translation>单元名称字段</translation>
    </message>
    <message>
        <source>Unit type field (e.g. the type text of an industrial-park key control unit)</source>
        <translation>单元类型字段（如“园区型重点管控单元1”）</translation>
    </message>
    <message>
        <source>Validation issues</source>
        <translation>检查问题</translation>
    </message>
    <message>
        <source>Version (BBH)</source>
        <translation>版本号（BBH）</translation>
    </message>
    <message>
        <source>Written to BBH when the layer has no version field of its own.</source>
        <translation>图层没有版本字段时写入 BBH。</translation>
    </message>
</context>
<context>
    <name>LibraryParameters</name>
    <message>
        <source>A saved PostgreSQL connection whose database holds the team library (published with Publish admission-list library); used instead of LIBRARY.</source>
        <translation>QGIS 中已保存的 PostgreSQL 连接，其数据库存放团队清单库（由“发布准入清单库”发布）；提供时代替 LIBRARY 使用。</translation>
    </message>
    <message>
        <source>Admission-list library folder</source>
        <translation>生态环境准入清单库文件夹</translation>
    </message>
    <message>
        <source>Team library database (PostgreSQL connection)</source>
        <translation>团队清单库数据库（PostgreSQL 连接）</translation>
    </message>
    <message>
        <source>The folder holding library.yaml and the list files; leave it empty when the library is in a team database (DATABASE).</source>
        <translation>存放 library.yaml 和各清单文件的文件夹；清单库在团队数据库中（DATABASE）时留空。</translation>
    </message>
</context>
<context>
    <name>PublishLibrary</name>
    <message>
        <source>A saved PostgreSQL connection (its user must own the database, or may create schemas, roles and the PostGIS extension).</source>
        <translation>QGIS 中已保存的 PostgreSQL 连接（其用户须为数据库所有者，或有权创建模式、角色和 PostGIS 扩展）。</translation>
    </message>
    <message>
        <source>Admission-list library folder</source>
        <translation>生态环境准入清单库文件夹</translation>
    </message>
    <message>
        <source>Control units (optional)</source>
        <translation>环境管控单元（可选）</translation>
    </message>
    <message>
        <source>Library revision</source>
        <translation>清单库版本标识</translation>
    </message>
    <message>
        <source>Number of clauses</source>
        <translation>条款数</translation>
    </message>
    <message>
        <source>Number of units</source>
        <translation>单元数</translation>
    </message>
    <message>
        <source>Publish admission-list library to a team database</source>
        <translation>发布准入清单库到团队数据库</translation>
    </message>
    <message>
        <source>Replace the library already in the database</source>
        <translation>替换数据库中已有的清单库</translation>
    </message>
    <message>
        <source>Team library database (PostgreSQL connection)</source>
        <translation>团队清单库数据库（PostgreSQL 连接）</translation>
    </message>
    <message>
        <source>The folder holding library.yaml and the list files.</source>
        <translation>存放 library.yaml 和各清单文件的文件夹。</translation>
    </message>
    <message>
        <source>When given, the unit layer (HJGKDYBM, HJGKDYMC, ZHGKDYFL, GKDYLX, CITY, COUNTY) replaces the database&apos;s units table.</source>
        <translation>提供时，用该单元图层（HJGKDYBM、HJGKDYMC、ZHGKDYFL、GKDYLX、CITY、COUNTY）替换数据库中的单元表。</translation>
    </message>
    <message>
        <source>When the database already holds a library, replace its lists (history is kept); otherwise refuse.</source>
        <translation>数据库中已有清单库时替换其清单（保留历史记录）；否则拒绝发布。</translation>
    </message>
</context>
<context>
    <name>PublishLookup</name>
    <message>
        <source>A folder that is not empty is refused unless this is set; the previous content is kept as &lt;folder&gt;.bak until the next publication.</source>
        <translation>未勾选时拒绝写入非空文件夹；勾选后原有内容保留为 &lt;文件夹&gt;.bak，直至下次发布。</translation>
    </message>
    <message>
        <source>A province&apos;s own taxonomy (class colours); the national default is used when empty.</source>
        <translation>本省的分区分类体系文件（单元类别配色）；为空时使用国家默认分类。</translation>
    </message>
    <message>
        <source>Admission-list library folder</source>
        <translation>生态环境准入清单库文件夹</translation>
    </message>
    <message>
        <source>Basemap tile URL</source>
        <translation>底图瓦片地址</translation>
    </message>
    <message>
        <source>Control units</source>
        <translation>环境管控单元</translation>
    </message>
    <message>
        <source>Could not write the site to {folder}: {error}</source>
        <translation>无法将网页写入 {folder}：{error}</translation>
    </message>
    <message>
        <source>Counties (for their names)</source>
        <translation>县级行政区（用于县名）</translation>
    </message>
    <message>
        <source>County code field</source>
        <translation>县级代码字段</translation>
    </message>
    <message>
        <source>County layer: no code or name field found; county names are taken from the units.</source>
        <translation>县级行政区图层：未找到代码或名称字段；县名取自单元图层。</translation>
    </message>
    <message>
        <source>County name field</source>
        <translation>县名字段</translation>
    </message>
    <message>
        <source>DATE &apos;{value}&apos; is not a date: write it as YYYY-MM-DD.</source>
        <translation>DATE“{value}”不是日期：请按 YYYY-MM-DD 填写。</translation>
    </message>
    <message>
        <source>Date (YYYY-MM-DD)</source>
        <translation>日期（YYYY-MM-DD）</translation>
    </message>
    <message>
        <source>Drawing simplification (degrees)</source>
        <translation>绘图简化容差（度）</translation>
    </message>
    <message>
        <source>Field of the county layer holding the 6-digit county codes.</source>
        <translation>县级行政区图层中存放 6 位县级代码的字段。</translation>
    </message>
    <message>
        <source>Field of the county layer holding the county names.</source>
        <translation>县级行政区图层中存放县名的字段。</translation>
    </message>
    <message>
        <source>Geometries repaired</source>
        <translation>已修复的几何数</translation>
    </message>
    <message>
        <source>Number of units published</source>
        <translation>发布的单元数</translation>
    </message>
    <message>
        <source>Optional basemap template in CGCS2000/WGS84 such as a Tianditu URL with your own key (…{z}/{x}/{y}…). Not GCJ-02 tiles (Amap), which would be offset. None by default: then the page requests nothing from the internet.</source>
        <translation>可选的 CGCS2000/WGS84 底图瓦片模板，如带本单位密钥的天地图地址（…{z}/{x}/{y}…）。不要使用 GCJ-02 瓦片（高德），否则会偏移。默认不设底图，此时网页不访问互联网。</translation>
    </message>
    <message>
        <source>Optional county layer: the names of the counties shown on the map and in the answers.</source>
        <translation>可选的县级行政区图层：地图和查询结果中显示的县名。</translation>
    </message>
    <message>
        <source>Output folder</source>
        <translation>输出文件夹</translation>
    </message>
    <message>
        <source>Page (index.html)</source>
        <translation>网页（index.html）</translation>
    </message>
    <message>
        <source>Publication date shown on the page.</source>
        <translation>网页上显示的发布日期。</translation>
    </message>
    <message>
        <source>Publish the public lookup site</source>
        <translation>发布公共查阅网页</translation>
    </message>
    <message>
        <source>QGIS Server project</source>
        <translation>“QGIS Server”工程</translation>
    </message>
    <message>
        <source>Replace the content of a non-empty folder</source>
        <translation>替换非空文件夹的内容</translation>
    </message>
    <message>
        <source>Simplifying the drawing and collecting the lists</source>
        <translation>正在简化绘图几何并汇总准入清单</translation>
    </message>
    <message>
        <source>Taxonomy file (YAML)</source>
        <translation>分类体系文件（YAML）</translation>
    </message>
    <message>
        <source>The admission-list library (folder with library.yaml); each unit&apos;s effective list is published.</source>
        <translation>生态环境准入清单库（含 library.yaml 的文件夹）；发布每个单元的有效清单。</translation>
    </message>
    <message>
        <source>The folder of the site (index.html, data/, vendor/) and of qgis_server/lookup.qgs.</source>
        <translation>网页（index.html、data/、vendor/）及 qgis_server/lookup.qgs 所在的文件夹。</translation>
    </message>
    <message>
        <source>The output folder {folder} is not empty: choose an empty or new folder, or set OVERWRITE to replace its content (the previous content is kept as {folder}.bak).</source>
        <translation>输出文件夹 {folder} 不为空：请选择空文件夹或新文件夹，或勾选 OVERWRITE 替换其内容（原有内容保留为 {folder}.bak）。</translation>
    </message>
    <message>
        <source>The unit layer (HJGKDYBM, HJGKDYMC, ZHGKDYFL, XZQDM, COUNTY); any CRS, reprojected to CGCS2000.</source>
        <translation>环境管控单元图层（HJGKDYBM、HJGKDYMC、ZHGKDYFL、XZQDM、COUNTY）；任意坐标系，发布时转换为 CGCS2000。</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>标题</translation>
    </message>
    <message>
        <source>Title of the page, e.g. the scheme&apos;s name.</source>
        <translation>网页标题，如方案名称。</translation>
    </message>
    <message>
        <source>Tolerance of the simplified copy used for drawing only (0.0003° ≈ 30 m; 0 keeps every vertex). Answers always use the full geometry.</source>
        <translation>仅用于绘图的简化副本的容差（0.0003° 约 30 米；0 表示保留全部节点）。查询结果始终基于全精度几何。</translation>
    </message>
    <message>
        <source>Unit {code} has no list of its own: published with a note (province, region and city clauses only).</source>
        <translation>单元 {code} 没有单元级清单：已发布并附说明（仅含省级、区域和市级条款）。</translation>
    </message>
    <message>
        <source>Unit {code}: no clause of the library applies to it.</source>
        <translation>单元 {code}：清单库中没有适用于该单元的条款。</translation>
    </message>
    <message>
        <source>Units without a list of their own</source>
        <translation>没有单元级清单的单元数</translation>
    </message>
    <message>
        <source>Version</source>
        <translation>版本</translation>
    </message>
    <message>
        <source>Version of the scheme shown on the page; the library&apos;s version when empty.</source>
        <translation>网页上显示的方案版本；为空时使用清单库的版本。</translation>
    </message>
    <message>
        <source>{index}: {units} units in {counties} counties; drawing {drawn} of {vertices} vertices. Serve it with: python3 -m http.server --bind 127.0.0.1 --directory {folder} 8000</source>
        <translation>{index}：{counties} 个县（市、区）的 {units} 个单元；绘图使用 {vertices} 个节点中的 {drawn} 个。发布方式：python3 -m http.server --bind 127.0.0.1 --directory {folder} 8000</translation>
    </message>
    <message>
        <source>{label} has no unit code field ({field}); its fields are: {names}.</source>
        <translation>{label} 没有单元编码字段（{field}）；其字段为：{names}。</translation>
    </message>
    <message>
        <source>{label} has no unit with an area to publish.</source>
        <translation>{label} 中没有可发布的有面积的单元。</translation>
    </message>
    <message>
        <source>{label}: feature {fid} ({code}) had an invalid geometry ({note}); repaired.</source>
        <translation>{label}：要素 {fid}（{code}）几何无效（{note}），已修复。</translation>
    </message>
    <message>
        <source>{label}: feature {fid} ({code}) has no area ({note}); not published.</source>
        <translation>{label}：要素 {fid}（{code}）没有面积（{note}），未发布。</translation>
    </message>
    <message>
        <source>{label}: feature {fid} has unit code &apos;{code}&apos;, which is not ZH + 6 digits + class + serial. Fix the code (or run &apos;Delineate environmental control units&apos;) before publishing.</source>
        <translation>{label}：要素 {fid} 的单元编码“{code}”不符合 ZH + 6 位县级代码 + 类别 + 序号的格式。请先修正编码（或运行“划定环境管控单元”）再发布。</translation>
    </message>
    <message>
        <source>{label}: unit {code} has several features (again feature {fid}); published as one.</source>
        <translation>{label}：单元 {code} 有多个要素（又见要素 {fid}），合并为一个发布。</translation>
    </message>
</context>
<context>
    <name>ScreenProjects</name>
    <message>
        <source>A field with a unique id per project; it names the rows and the report files.</source>
        <translation>每个项目取值唯一的编号字段，用于命名结果行和报告文件。</translation>
    </message>
    <message>
        <source>A province&apos;s own element-zone taxonomy: the subtype names and colours of the reports; national by default.</source>
        <translation>本省的环境要素管控分区分类体系：报告中的类型名称和配色；默认使用国家分类。</translation>
    </message>
    <message>
        <source>A province&apos;s own verdict rules; resources/rules/verdict_rules.yaml documents the defaults.</source>
        <translation>本省的研判规则；默认规则见 resources/rules/verdict_rules.yaml。</translation>
    </message>
    <message>
        <source>A table of the reviewer&apos;s decisions (PROJ_ID, DECISION, REASON, REVIEWER, DATE), such as the decisions layer of the GeoPackage the quick-screen dock records into: DECISION is a verdict (pass, conditional, fail, need_info, or its Chinese name) or &apos;confirm&apos;; a row without a reason is refused. It is only read, never written.</source>
        <translation>审查意见表（PROJ_ID、DECISION、REASON、REVIEWER、DATE），如快速研判面板记录审查意见的 GeoPackage 中的“decisions”图层：DECISION 为研判结论（“pass”“conditional”“fail”“need_info”或其中文名称）或“confirm”（确认）；缺少理由的行将被拒绝。该表只读取，不写入。</translation>
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
        <source>Each report is valid for this many days, or until the scheme version it rests on is replaced, whichever is first.</source>
        <translation>报告自研判之日起在此天数内有效，或至所依据的方案版本被替代之日止，以先到者为准。</translation>
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
        <source>Report validity (days)</source>
        <translation>报告有效期（天）</translation>
    </message>
    <message>
        <source>Reviewer&apos;s decisions</source>
        <translation>审查意见</translation>
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
        <source>Taxonomy file (YAML)</source>
        <translation>分类体系文件（YAML）</translation>
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
        <source>When set: per project a PDF, a Word (.docx, with the EIA paragraph) and an HTML report with a map; index.html and summary.xlsx list them all. A project screened into the same folder before keeps its old report under superseded/, and the new one names it and what changed.</source>
        <translation>设置后：每个项目生成含附图的 PDF、Word（.docx，含环评符合性分析段落）和 HTML 报告，index.html 和 summary.xlsx 汇总全部报告。项目曾研判至同一文件夹的，旧报告移入 superseded/ 保留，新报告注明所替代的报告及变化内容。</translation>
    </message>
</context>
<context>
    <name>StandardizeZones</name>
    <message>
        <source>A province&apos;s own taxonomy; the national default is used when empty.</source>
        <translation>本省的分区分类体系文件；为空时使用国家默认分类。</translation>
    </message>
    <message>
        <source>A subtype of the taxonomy by key (eco_redline) or by name (Ecological protection red line). Leave empty to use SUBTYPE_FIELD and VALUE_MAP.</source>
        <translation>分区类型：分类键（如 eco_redline）或中文名称（如 生态保护红线）。为空时使用 SUBTYPE_FIELD 和 VALUE_MAP。</translation>
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
        <translation>将 SUBTYPE_FIELD 的每个取值对应到分类键（或中文类型名），如 优先保护:water_priority;一般管控:water_general。</translation>
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
    <message>
        <source>{label}: none of its {n} features lies inside the admin area, so there is no zone to write. Check that the layer and the admin layer have the right CRS and cover the same region.</source>
        <translation>{label}：其 {n} 个要素均不在行政区范围内，没有可写出的分区。请检查该图层与行政区图层的坐标系是否正确、范围是否一致。</translation>
    </message>
</context>
<context>
    <name>TrackUnits</name>
    <message>
        <source>A province&apos;s own thresholds; resources/rules/tracking_rules.yaml documents the defaults.</source>
        <translation>本省自定的阈值；默认规则及说明见 resources/rules/tracking_rules.yaml。</translation>
    </message>
    <message>
        <source>A source id shown with the leads; guessed when empty.</source>
        <translation>污染源编号，随线索显示；为空时自动识别。</translation>
    </message>
    <message>
        <source>A table (layer or CSV) with site id, year, indicator and value columns (断面编号/年份/指标/值 work too).</source>
        <translation>含站点编号、年份、指标和值四列的表（图层或 CSV；也可用 断面编号/年份/指标/值 等列名）。</translation>
    </message>
    <message>
        <source>Admission-list library folder</source>
        <translation>生态环境准入清单库文件夹</translation>
    </message>
    <message>
        <source>As QGIS</source>
        <translation>与 QGIS 界面一致</translation>
    </message>
    <message>
        <source>Change polygons of the leads</source>
        <translation>线索对应的变化图斑</translation>
    </message>
    <message>
        <source>Change type field</source>
        <translation>变化类型字段</translation>
    </message>
    <message>
        <source>Chinese</source>
        <translation>中文</translation>
    </message>
    <message>
        <source>Control units</source>
        <translation>环境管控单元</translation>
    </message>
    <message>
        <source>Date or period field</source>
        <translation>日期或时段字段</translation>
    </message>
    <message>
        <source>Emissions field (t/a)</source>
        <translation>排放量字段（吨/年）</translation>
    </message>
    <message>
        <source>Enforcement leads</source>
        <translation>执法线索</translation>
    </message>
    <message>
        <source>English</source>
        <translation>英文</translation>
    </message>
    <message>
        <source>Flagged units</source>
        <translation>监管执法重点单元</translation>
    </message>
    <message>
        <source>Flagged: eco_function_decline</source>
        <translation>重点单元数：生态功能降低</translation>
    </message>
    <message>
        <source>Flagged: environment_problem</source>
        <translation>重点单元数：环境问题突出</translation>
    </message>
    <message>
        <source>Flagged: quality_decline</source>
        <translation>重点单元数：环境质量下降</translation>
    </message>
    <message>
        <source>Indicators</source>
        <translation>单元指标</translation>
    </message>
    <message>
        <source>Industry code field (GB/T 4754)</source>
        <translation>行业代码字段（GB/T 4754）</translation>
    </message>
    <message>
        <source>Land change polygons</source>
        <translation>土地变化图斑</translation>
    </message>
    <message>
        <source>Language of texts and report</source>
        <translation>文字和报告的语言</translation>
    </message>
    <message>
        <source>Monitoring results CSV</source>
        <translation>监测结果 CSV 文件</translation>
    </message>
    <message>
        <source>Monitoring results table</source>
        <translation>监测结果表</translation>
    </message>
    <message>
        <source>Monitoring sites</source>
        <translation>监测点位</translation>
    </message>
    <message>
        <source>Number of flagged units</source>
        <translation>重点单元数量</translation>
    </message>
    <message>
        <source>Number of input problems</source>
        <translation>输入数据问题数量</translation>
    </message>
    <message>
        <source>Number of leads</source>
        <translation>线索数量</translation>
    </message>
    <message>
        <source>Number of units assessed</source>
        <translation>参评单元数量</translation>
    </message>
    <message>
        <source>One row per unit and indicator (and site): value, base value, change, threshold, rule, triggered.</source>
        <translation>每个单元每项指标（及站点）一行：当前值、基准值、变化、阈值、规则、是否触发。</translation>
    </message>
    <message>
        <source>Optional emissions of the source, summed per unit.</source>
        <translation>可选：污染源排放量，按单元汇总。</translation>
    </message>
    <message>
        <source>Optional pollutant discharge permit number.</source>
        <translation>可选：排污许可证编号。</translation>
    </message>
    <message>
        <source>Permit number field</source>
        <translation>排污许可证编号字段</translation>
    </message>
    <message>
        <source>Points of the change polygons, sites and sources behind each flag, with the clause each one touches.</source>
        <translation>导致判定的变化图斑、监测点位和污染源（点），及各自涉及的清单条款。</translation>
    </message>
    <message>
        <source>Pollution sources</source>
        <translation>污染源</translation>
    </message>
    <message>
        <source>Pollution sources or enterprises (points) with a GB/T 4754 industry code, optionally a permit and emissions.</source>
        <translation>污染源或企业（点），含 GB/T 4754 行业代码，可含排污许可证编号和排放量。</translation>
    </message>
    <message>
        <source>Polygons of land change between two dates from remote-sensing interpretation, in any CRS.</source>
        <translation>遥感解译得到的两期之间的土地变化图斑，坐标系不限。</translation>
    </message>
    <message>
        <source>Report folder</source>
        <translation>报告文件夹</translation>
    </message>
    <message>
        <source>Site id field</source>
        <translation>站点编号字段</translation>
    </message>
    <message>
        <source>Site target field</source>
        <translation>站点目标字段</translation>
    </message>
    <message>
        <source>Source id field</source>
        <translation>污染源编号字段</translation>
    </message>
    <message>
        <source>Source name field</source>
        <translation>污染源名称字段</translation>
    </message>
    <message>
        <source>The GB/T 4754 code such as C2520; guessed when empty.</source>
        <translation>GB/T 4754 行业代码，如 C2520；为空时自动识别。</translation>
    </message>
    <message>
        <source>The change polygons of the leads (the part inside the flagged unit), with the same rank and clause.</source>
        <translation>线索对应的变化图斑（位于重点单元内的部分），排序和条款与线索相同。</translation>
    </message>
    <message>
        <source>The change type (新增建设用地, 采矿, 毁林, 围垦…); guessed from BHLX, 变化类型, TYPE… when empty.</source>
        <translation>变化类型（新增建设用地、采矿、毁林、围垦等）；为空时从 BHLX、变化类型、TYPE 等字段自动识别。</translation>
    </message>
    <message>
        <source>The date or period of the change (2023-2024, 2024-06…), shown with each lead; guessed when empty.</source>
        <translation>变化的日期或时段（如 2023-2024、2024-06），随线索显示；为空时自动识别。</translation>
    </message>
    <message>
        <source>The language of the reasons, lead texts and the report; by default that of QGIS.</source>
        <translation>判定依据、线索说明和报告所用的语言；默认与 QGIS 界面一致。</translation>
    </message>
    <message>
        <source>The library whose clauses the leads cite (the clause of each unit&apos;s list a lead touches).</source>
        <translation>线索引用其条款的准入清单库（每条线索涉及的单元清单条款）。</translation>
    </message>
    <message>
        <source>The same results as a CSV file, UTF-8 or GBK, as spreadsheets export it; used besides RESULTS.</source>
        <translation>以 CSV 文件提供的监测结果（UTF-8 或 GBK，电子表格导出即可）；与 RESULTS 一并使用。</translation>
    </message>
    <message>
        <source>The site id the results refer to; guessed from SITE_ID, 断面编号, 站点编号… when empty.</source>
        <translation>监测结果所对应的站点编号；为空时从 SITE_ID、断面编号、站点编号等字段自动识别。</translation>
    </message>
    <message>
        <source>The site&apos;s target (water class such as III, or a concentration); the rules&apos; default target otherwise.</source>
        <translation>站点的考核目标（如水质类别 III 或浓度值）；未填时使用规则中的默认目标。</translation>
    </message>
    <message>
        <source>The source or enterprise name; guessed when empty.</source>
        <translation>污染源或企业名称；为空时自动识别。</translation>
    </message>
    <message>
        <source>The unit layer (HJGKDYBM, HJGKDYMC, ZHGKDYFL, GKDYLX; field names in any case).</source>
        <translation>管控单元图层（HJGKDYBM、HJGKDYMC、ZHGKDYFL、GKDYLX；字段名不区分大小写）。</translation>
    </message>
    <message>
        <source>The units that are the focus of enforcement, with reasons, severity and rank for the inspection plan.</source>
        <translation>作为监管执法重点的单元，含判定原因、严重程度和供检查计划使用的排序。</translation>
    </message>
    <message>
        <source>Track units and find enforcement leads</source>
        <translation>跟踪评估与执法线索筛选</translation>
    </message>
    <message>
        <source>Tracking rules (YAML)</source>
        <translation>跟踪评估规则（YAML）</translation>
    </message>
    <message>
        <source>Water quality sections and air stations (points) with a site id; an optional target field (III, 35…).</source>
        <translation>水质断面和空气质量站点（点），含站点编号；可含目标字段（如 III、35）。</translation>
    </message>
    <message>
        <source>When set: tracking_report.html and tracking_report.pdf with their maps.</source>
        <translation>设置后生成 tracking_report.html 和 tracking_report.pdf 及其地图。</translation>
    </message>
</context>
<context>
    <name>ValidateUnits</name>
    <message>
        <source>A report a reviewer can read: counts per kind and every issue.</source>
        <translation>供审核人员阅读的报告：各类问题数量及全部问题。</translation>
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
        <source>County code field</source>
        <translation>县级行政区代码字段</translation>
    </message>
    <message>
        <source>County polygons the units must cover exactly.</source>
        <translation>环境管控单元必须恰好全域覆盖的县级面。</translation>
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
</context>
</TS>
