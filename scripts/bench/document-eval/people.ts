/**
 * Names and places for the evaluation documents: companies with and without a legal suffix,
 * people, addresses in several countries. None of them appears in the tests' fixtures.
 */
export interface Organisation { name: string; address: string[]; descriptor: string }

export const COMPANIES: Organisation[] = [
  { name: 'Bluefin Analytics Ltd', address: ['7 Quay Street', 'Manchester M3 3JE', 'United Kingdom'], descriptor: 'a company registered in England and Wales under number 08812345' },
  { name: 'Harper & Sons Plumbing', address: ['22 Mill Lane', 'Leeds LS2 7HY'], descriptor: 'a partnership with its place of business in Leeds' },
  { name: 'Kestrel Design Studio', address: ['Unit 4, The Old Dairy', 'Bath BA1 5LR'], descriptor: 'a sole trader business based in Bath' },
  { name: 'Meridian Logistics GmbH', address: ['Hafenstrasse 18', '20457 Hamburg', 'Germany'], descriptor: 'a limited liability company organised under the laws of Germany' },
  { name: 'Oakridge Dental LLC', address: ['1450 Elm Avenue, Suite 210', 'Portland, OR 97205'], descriptor: 'an Oregon limited liability company' },
  { name: 'Pinecrest Software Inc.', address: ['88 Market Street, Floor 5', 'San Francisco, CA 94105'], descriptor: 'a Delaware corporation with offices at 88 Market Street, San Francisco' },
  { name: 'Quayside Catering Co.', address: ['3 Harbour Walk', 'Cork T12 X2Y3', 'Ireland'], descriptor: 'a company incorporated in Ireland' },
  { name: 'Redwood Legal LLP', address: ['40 Fleet Street', 'London EC4Y 1AA'], descriptor: 'a limited liability partnership registered in England' },
  { name: 'Saffron Print House', address: ['9 Printers Row', 'Edinburgh EH1 2NG'], descriptor: 'a business carried on at 9 Printers Row, Edinburgh' },
  { name: 'Tidewater Marine Supplies Ltd', address: ['Pier 3, Dock Road', 'Southampton SO14 3GG'], descriptor: 'a private limited company' },
  { name: 'Umber & Ash Architects', address: ['15 Rue des Carmes', '75005 Paris', 'France'], descriptor: 'a firm of architects established in Paris' },
  { name: 'Vantage Point Consulting Group', address: ['200 King Street West', 'Toronto, ON M5H 3T4', 'Canada'], descriptor: 'an Ontario corporation' },
  { name: 'Willow Lane Florists', address: ['61 Willow Lane', 'Cambridge CB1 2AB'], descriptor: 'a partnership based in Cambridge' },
  { name: 'Yellowstone Outfitters Inc', address: ['412 Main Street', 'Bozeman, MT 59715'], descriptor: 'a Montana corporation' },
  { name: 'Zenith Electrical Services Ltd', address: ['Unit 12, Riverside Estate', 'Cardiff CF10 4GA'], descriptor: 'a company registered in Wales with number 04455667' },
  { name: 'Albatross Freight Pty Ltd', address: ['55 Wharf Road', 'Sydney NSW 2000', 'Australia'], descriptor: 'an Australian proprietary company (ABN 51 824 753 556)' },
  { name: 'Birchwood Furniture SARL', address: ['12 Avenue Louise', '1050 Brussels', 'Belgium'], descriptor: 'a société à responsabilité limitée' },
  { name: 'Copperleaf Media B.V.', address: ['Keizersgracht 221', '1016 DV Amsterdam'], descriptor: 'a private company with limited liability under Dutch law' },
  { name: 'Northgate Robotics Corporation', address: ['1 Innovation Way', 'Austin, TX 78701'], descriptor: 'a Texas corporation' },
  { name: 'Silverline Healthcare plc', address: ['Level 8, 25 Canada Square', 'London E14 5LQ'], descriptor: 'a public limited company incorporated in England and Wales' },
  { name: 'Brightwater Energy AG', address: ['Bahnhofstrasse 45', '8001 Zürich', 'Switzerland'], descriptor: 'a Swiss stock corporation' },
  { name: 'Lumen Data Systems Inc.', address: ['300 Boylston Street', 'Boston, MA 02116'], descriptor: 'a Massachusetts corporation' },
  { name: 'Harbourview Property Management Ltd', address: ['18 Custom House Quay', 'Dublin 1'], descriptor: 'a company incorporated in Ireland with number 612345' },
  { name: 'Granite Peak Construction LLC', address: ['77 Foothill Blvd', 'Denver, CO 80202'], descriptor: 'a Colorado limited liability company' },
  { name: 'Orchard Street Bakery', address: ['5 Orchard Street', 'Bristol BS1 5EH'], descriptor: 'a bakery business' },
  { name: 'Atlas Translation Services Ltd', address: ['14 Castle Street', 'Oxford OX1 1HN'], descriptor: 'a company registered in England with number 07123456' },
  { name: 'Polaris Security Solutions Inc', address: ['2200 Peachtree Road', 'Atlanta, GA 30309'], descriptor: 'a Georgia corporation' },
  { name: 'Fennel & Thyme Restaurant Group', address: ['31 Grafton Street', 'Dublin 2'], descriptor: 'a restaurant group' },
];

export interface Person { name: string; title: string; address: string[] }

export const PEOPLE: Person[] = [
  { name: 'Priya Raman', title: 'Chief Executive Officer', address: ['14 Cedar Close', 'Reading RG1 4XY'] },
  { name: 'Tomás Ortega', title: 'Managing Director', address: ['Calle Mayor 12', '28013 Madrid'] },
  { name: 'Hannah Kowalski', title: 'Director', address: ['9 Larch Road', 'Glasgow G12 8QQ'] },
  { name: 'Daniel Okafor', title: 'Chief Operating Officer', address: ['48 Ridge Avenue', 'Philadelphia, PA 19103'] },
  { name: 'Margaret Chen', title: 'General Counsel', address: ['2 Harbour View', 'Wellington 6011'] },
  { name: 'Samuel Whitfield', title: 'Head of Procurement', address: ['77 Orchard Way', 'Norwich NR2 1AB'] },
  { name: 'Elena Petrova', title: 'Finance Director', address: ['Rosenweg 3', '80331 Munich'] },
  { name: 'Jonas Lindqvist', title: 'Partner', address: ['Sveavägen 20', '111 57 Stockholm'] },
  { name: 'Aisha Bello', title: 'Chief Technology Officer', address: ['5 Marina Road', 'Lagos'] },
  { name: 'Oliver Grant', title: 'Owner', address: ['3 Station Road', 'York YO1 6HT'] },
  { name: 'Grace Mbeki', title: 'Operations Manager', address: ['101 Long Street', 'Cape Town 8001'] },
  { name: 'Lucas Moreau', title: 'Président', address: ['8 Rue Lafayette', '69002 Lyon'] },
  { name: 'Rebecca Stein', title: 'Vice President, Legal', address: ['500 Fifth Avenue', 'New York, NY 10110'] },
  { name: 'Kenji Watanabe', title: 'Representative Director', address: ['2-1 Marunouchi', 'Tokyo 100-0005'] },
  { name: 'Fiona MacLeod', title: 'Company Secretary', address: ['22 Queen Street', 'Edinburgh EH2 1JX'] },
  { name: 'Arjun Mehta', title: 'Consultant', address: ['Flat 3, 19 Bedford Place', 'London WC1B 5JA'] },
];

export const JURISDICTIONS = [
  { printed: 'England and Wales', truth: 'England and Wales' },
  { printed: 'the State of New York', truth: 'State of New York' },
  { printed: 'the State of Delaware', truth: 'State of Delaware' },
  { printed: 'Ireland', truth: 'Ireland' },
  { printed: 'Scotland', truth: 'Scotland' },
  { printed: 'the State of California', truth: 'State of California' },
  { printed: 'the Netherlands', truth: 'Netherlands' },
  { printed: 'the Province of Ontario', truth: 'Province of Ontario' },
  { printed: 'Germany', truth: 'Germany' },
  { printed: 'New South Wales', truth: 'New South Wales' },
];
