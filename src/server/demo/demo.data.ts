/**
 * The demo network: invented districts and schools in one US state and one Canadian province.
 * Names are made up; any likeness to a real school is chance.
 */
export interface DemoDistrict {
  code: string;
  name: string;
  schools: { code: string; name: string; gradeSpan: string; enrolment: number; languages?: string[] }[];
}

export const demoNetwork = { code: 'NSWC', name: 'Northstar School Wellbeing Coalition' };

const span = { elem: 'K-5', middle: '6-8', high: '9-12', k8: 'K-8', k12: 'K-12' } as const;

function schools(prefix: string, names: [string, keyof typeof span, number][], languages?: string[]) {
  return names.map(([name, level, enrolment], i) => ({ code: `${prefix}${String(i + 1).padStart(3, '0')}`, name, gradeSpan: span[level], enrolment, languages }));
}

export const demoStates: { code: string; name: string; country: 'US' | 'CA'; languages: string[]; districts: DemoDistrict[] }[] = [
  {
    code: 'WA',
    name: 'Washington',
    country: 'US',
    languages: ['en', 'es'],
    districts: [
      {
        code: '5300101',
        name: 'Cedar Valley School District',
        schools: schools('530010100', [
          ['Alder Creek Elementary School', 'elem', 412],
          ['Birch Hollow Elementary School', 'elem', 388],
          ['Cedar Valley Middle School', 'middle', 655],
          ['Cedar Valley High School', 'high', 1284],
          ['Foxglove Elementary School', 'elem', 301],
          ['Juniper Ridge Middle School', 'middle', 540],
          ['Maple Terrace Elementary School', 'elem', 356],
        ]),
      },
      {
        code: '5300202',
        name: 'Riverbend School District',
        schools: schools('530020200', [
          ['Heron Point Elementary School', 'elem', 275],
          ['Riverbend Middle School', 'middle', 498],
          ['Riverbend High School', 'high', 1102],
          ['Salmonberry Elementary School', 'elem', 330],
          ['Willow Bank Elementary School', 'elem', 289],
          ['Stonebridge K-8 School', 'k8', 610],
        ]),
      },
      {
        code: '5300303',
        name: 'Pine Harbor School District',
        schools: schools('530030300', [
          ['Anchor Bay Elementary School', 'elem', 244],
          ['Lighthouse Elementary School', 'elem', 318],
          ['Pine Harbor Middle School', 'middle', 402],
          ['Pine Harbor High School', 'high', 890],
          ['Tidewater Community School', 'k12', 176],
          ['Seagrass Elementary School', 'elem', 263],
        ]),
      },
      {
        code: '5300404',
        name: 'Summit Plains School District',
        schools: schools('530040400', [
          ['Bluebunch Elementary School', 'elem', 221],
          ['Granite Peak Middle School', 'middle', 377],
          ['Summit Plains High School', 'high', 745],
          ['Meadowlark Elementary School', 'elem', 298],
          ['Quail Run Elementary School', 'elem', 342],
        ]),
      },
    ],
  },
  {
    code: 'MB',
    name: 'Manitoba',
    country: 'CA',
    languages: ['en', 'fr'],
    districts: [
      {
        code: 'MB-RR',
        name: 'Red River School Board',
        schools: schools('MB-RR-', [
          ['Assiniboine Park School', 'elem', 318],
          ['École Boréale', 'k8', 402],
          ['Kildonan Collegiate', 'high', 960],
          ['Lagimodière Middle School', 'middle', 455],
          ['Prairie Rose School', 'elem', 287],
          ['Riverview Collegiate', 'high', 812],
          ['Tuxedo Heights School', 'elem', 264],
        ], ['en', 'fr']),
      },
      {
        code: 'MB-LS',
        name: 'Lakeshore School Board',
        schools: schools('MB-LS-', [
          ['Gimli Shores School', 'k8', 233],
          ['Lakeshore Regional Secondary', 'high', 540],
          ['Pelican Bay School', 'elem', 190],
          ['Sandy Hook School', 'elem', 158],
          ['Willow Point Middle School', 'middle', 276],
          ['École des Rivages', 'k12', 211],
        ], ['en', 'fr']),
      },
      {
        code: 'MB-AH',
        name: 'Aspen Hills School Board',
        schools: schools('MB-AH-', [
          ['Aspen Hills Collegiate', 'high', 610],
          ['Birchwood School', 'elem', 245],
          ['Crocus Meadows School', 'elem', 199],
          ['Spruce Woods Middle School', 'middle', 321],
          ['Trembling Aspen School', 'k8', 284],
          ['Wheatfield School', 'elem', 176],
        ], ['en', 'fr']),
      },
    ],
  },
];

export const demoPartner = { code: 'HFCS', name: 'Harbor Family Counselling Services' };
